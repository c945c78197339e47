package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.config.AuditConfig;
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
    private static final ColumnMasker NO_MASKING = new ColumnMasker(Set.of(), AuditConfig.Masking.MASK, "");

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
    void shouldPackEventsIntoABundleAndUnpackThemByteForByteInOrder() {
        List<AuditEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("key", Map.of("id", (long) i));
            data.put("after", Map.of("name", "customer " + i + " \u00e9 \uD83D\uDE00"));
            events.add(new AuditEvent("id-" + i, "/graybridge/b/v1-to-v2", i % 7 == 0 ? EventType.CONFLICT_RESOLVED
                    : EventType.CHANGE_APPLIED, "clients/{\"id\":" + i + "}", Instant.EPOCH, "clients/{\"id\":" + i + "}", data));
        }
        byte[] bundle = AuditBundle.packRendered(events);
        List<AuditBundle.Entry> back = AuditBundle.unpack(bundle, NO_MASKING);

        assertThat(back).hasSize(500);
        for (int i = 0; i < 500; i++) {
            AuditEvent e = events.get(i);
            AuditBundle.Entry b = back.get(i);
            assertThat(b.id()).isEqualTo(e.id());
            assertThat(b.recordKey()).isEqualTo(e.recordKey());
            assertThat(b.channel()).isEqualTo(e.type().channel());
            assertThat(b.payload()).isEqualTo(e.toJsonBytes());
        }
        int plain = events.stream().mapToInt(e -> e.toJsonBytes().length).sum();
        assertThat(bundle.length).as("alike events compress").isLessThan(plain / 3);
    }

    @Test
    void shouldRefuseWhatIsNotABundleWithTheReason() {
        assertThatThrownBy(() -> AuditBundle.unpack(new byte[] {9, 0, 0, 0, 1, 0}, NO_MASKING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 1 or 2").hasMessageContaining("first byte 9");
        List<AuditEvent> two = List.of(
                new AuditEvent("a", "/s", EventType.CHANGE_APPLIED, "t/1", Instant.EPOCH, "t/1", Map.of()),
                new AuditEvent("b", "/s", EventType.CHANGE_APPLIED, "t/2", Instant.EPOCH, "t/2", Map.of()));
        for (byte[] bundle : List.of(AuditBundle.packRendered(two), AuditBundle.pack(two))) {
            assertThatThrownBy(() -> AuditBundle.unpack(Arrays.copyOf(bundle, bundle.length - 3), NO_MASKING))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audit bundle");
        }
    }

    @Test
    void shouldKeepStableIdsExactlyAsNameBasedUuidsOfThePartsJoinedByNul() {
        String[] parts = {"change", "/graybridge/b/v1-to-v2", "0/16B3748", "clients", "{\"id\":42}", "update \u00e9"};
        String expected = java.util.UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();

        assertThat(AuditEvent.stableId(parts)).isEqualTo(expected);
        assertThat(AuditEvent.stableId(parts)).as("the reused digest starts afresh").isEqualTo(expected);
        assertThat(AuditEvent.stableId("a", "b")).isNotEqualTo(AuditEvent.stableId("ab")).isNotEqualTo(AuditEvent.stableId("a\u0000b", ""));
    }
}
