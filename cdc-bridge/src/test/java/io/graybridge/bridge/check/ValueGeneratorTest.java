package io.graybridge.bridge.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.db.ColumnInfo;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueGeneratorTest {
    private final ValueGenerator gen = new ValueGenerator(7);

    @Test
    void shouldStartWithNullOnlyForNullableColumns() {
        assertThat(gen.edges(new ColumnInfo("a", "bigint", true, false), List.of())).first().isNull();
        assertThat(gen.edges(new ColumnInfo("a", "bigint", false, false), List.of())).doesNotContainNull()
                .contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L);
    }

    @Test
    void shouldGiveTheLimitsOfANumericTypeAtItsScale() {
        assertThat(gen.edges(new ColumnInfo("a", "numeric(5,2)", false, false), List.of()))
                .contains(new BigDecimal("999.99"), new BigDecimal("-999.99"), new BigDecimal("0.01"));
    }

    @Test
    void shouldIncludeEmptyUnicodeAndMaxLengthText() {
        List<Object> edges = gen.edges(new ColumnInfo("a", "character varying(4)", false, false), List.of());
        assertThat(edges).contains("", "xxxx").allMatch(v -> ((String) v).codePointCount(0, ((String) v).length()) <= 4);
        assertThat(gen.edges(new ColumnInfo("a", "text", false, false), List.of())).contains("Zoë Ørsted 漢字 🙂");
    }

    @Test
    void shouldIncludeDaylightSavingGapsAndFarOffsets() {
        assertThat(gen.edges(new ColumnInfo("a", "timestamp without time zone", false, false), List.of()))
                .contains(LocalDateTime.of(2026, 3, 29, 2, 30));
        assertThat(gen.edges(new ColumnInfo("a", "timestamp with time zone", false, false), List.of()))
                .anyMatch(v -> ((OffsetDateTime) v).getOffset().getTotalSeconds() == 14 * 3600);
    }

    @Test
    void shouldIncludeTheSecondPassOfAFallBackHourInUsAndEuZones() {
        // an instant whose wall-clock time also names the hour before it: a timestamptz -> timestamp mapping in
        // such a zone cannot bring it back, and `mappings check` must meet one to say so
        List<Object> edges = gen.edges(new ColumnInfo("a", "timestamp with time zone", false, false), List.of());
        for (String zone : List.of("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/Berlin",
                "Europe/London")) {
            java.time.ZoneId z = java.time.ZoneId.of(zone);
            assertThat(edges).as(zone).anyMatch(v -> {
                OffsetDateTime t = (OffsetDateTime) v;
                LocalDateTime wall = t.atZoneSameInstant(z).toLocalDateTime();
                return !wall.atZone(z).toInstant().equals(t.toInstant());
            });
        }
    }

    @Test
    void shouldUseTheLabelsOfAnEnum() {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            values.add(gen.value(new ColumnInfo("s", "examples_v2.customer_status", false, false), List.of("active", "inactive"), i));
        }
        assertThat(values).containsOnly("active", "inactive");
    }

    @Test
    void shouldBeDeterministicForASeed() {
        ColumnInfo c = new ColumnInfo("a", "text", true, false);
        ValueGenerator a = new ValueGenerator(1);
        ValueGenerator b = new ValueGenerator(1);
        for (int i = 0; i < 100; i++) {
            assertThat(a.value(c, List.of(), i)).isEqualTo(b.value(c, List.of(), i));
        }
    }
}
