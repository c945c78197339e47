package io.graybridge.bridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    @Test
    void shouldGiveBackEveryCanonicalValueWithItsType() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("s", "Ada \u00e9\ud83d\ude00");
        values.put("z", true);
        values.put("h", (short) -3);
        values.put("i", 7);
        values.put("j", Long.MAX_VALUE);
        values.put("bi", new BigInteger("123456789012345678901234567890"));
        values.put("f", 1.5f);
        values.put("d", -0.25d);
        values.put("n", new BigDecimal("12.50"));
        values.put("ld", LocalDate.of(2026, 3, 29));
        values.put("lt", LocalTime.of(2, 30, 0, 123_000));
        values.put("ldt", LocalDateTime.of(2026, 3, 29, 2, 30));
        values.put("odt", OffsetDateTime.of(2026, 3, 29, 2, 30, 0, 0, ZoneOffset.ofHours(14)));
        values.put("ins", Instant.parse("2026-01-01T00:00:00Z"));
        values.put("u", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        values.put("b", new byte[] {0, -1, 42});
        values.put("list", List.of(1, "two"));
        values.put("none", null);
        Row row = Row.of(values);
        Row back = RowCodec.decode(RowCodec.encode(row));
        assertThat(back).isEqualTo(row);
        assertThat(back.columns()).containsExactlyElementsOf(row.columns());
        for (String c : row.columns()) {
            if (row.get(c) != null) {
                assertThat(back.get(c)).as(c).isExactlyInstanceOf(row.get(c).getClass() == List.of(1, "two").getClass()
                        ? java.util.ArrayList.class : row.get(c).getClass());
            }
        }
        assertThat(((BigDecimal) back.get("n")).scale()).as("scale kept").isEqualTo(2);
        assertThat(back.has("none")).isTrue();
    }

    @Test
    void shouldKeepNullRowsNull() {
        assertThat(RowCodec.encode(null)).isNull();
        assertThat(RowCodec.decode(null)).isNull();
    }
}
