package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    /** The event as the data binder renders a map of its CloudEvents attributes: what the outbox held before. */
    private static String viaDataBinder(AuditEvent e) throws Exception {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("specversion", "1.0");
        ce.put("id", e.id());
        ce.put("source", e.source());
        ce.put("type", e.type().type());
        ce.put("subject", e.subject());
        ce.put("time", e.time().toString());
        ce.put("datacontenttype", "application/json");
        ce.put("dataschema", e.type().dataSchema());
        ce.put("partitionkey", e.recordKey());
        ce.put("data", e.data());
        return new ObjectMapper().writeValueAsString(ce);
    }

    @Test
    void shouldRenderTheSameJsonAsTheDataBinderForEveryKindOfValue() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 42L);
        row.put("small", 7);
        row.put("amount", new BigDecimal("-12.3400"));
        row.put("ratio", -0.0d);
        row.put("flag", true);
        row.put("none", null);
        row.put("text", "quote \" backslash \\ newline \n tab \t nul \u0000 emoji \uD83D\uDE00 é");
        row.put("tags", List.of("a", 1L, false));
        row.put("set", Set.of("only"));
        row.put("array", new int[] {1, 2});
        row.put("short", (short) 3);
        row.put("float", 1.5f);
        row.put("nested", Map.of("k", List.of(Map.of("x", "y"))));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("after", row);
        data.put("kind", EventType.Channel.CHANGES);
        AuditEvent e = new AuditEvent("id-1", "/graybridge/b/v1-to-v2", EventType.CHANGE_APPLIED, "clients/{\"id\":42}",
                Instant.parse("2026-11-27T10:00:00.123456Z"), "clients/{\"id\":42}", data);

        assertThat(e.toJson()).isEqualTo(viaDataBinder(e));
        assertThat(e.toJsonBytes()).isEqualTo(viaDataBinder(e).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldLayOutRowsInPostgresBinaryCopyFormat() {
        Outbox.BinaryCopy copy = new Outbox.BinaryCopy(0);
        copy.startRow(2);
        copy.field("é");
        copy.field(new byte[0]);
        byte[] out = copy.finish();

        byte[] expected = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 2, 0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};
        assertThat(out).as(Arrays.toString(out)).isEqualTo(expected);
    }
}
