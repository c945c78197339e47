package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void rendersEachTypeInPostgresTextInputForm() {
        assertThat(CopyRows.render("plain")).isEqualTo("plain");
        assertThat(CopyRows.render(42L)).isEqualTo("42");
        assertThat(CopyRows.render((short) -7)).isEqualTo("-7");
        assertThat(CopyRows.render(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(CopyRows.render(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CopyRows.render(new BigDecimal("-0.000100"))).isEqualTo("-0.000100");
        assertThat(CopyRows.render(Double.NaN)).isEqualTo("NaN");
        assertThat(CopyRows.render(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(CopyRows.render(-0.0d)).isEqualTo("-0.0");
        assertThat(CopyRows.render(1e-300)).isEqualTo("1.0E-300");
        assertThat(CopyRows.render(Float.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(CopyRows.render(true)).isEqualTo("t");
        assertThat(CopyRows.render(new byte[] {0, (byte) 0xff, 0x5c})).isEqualTo("\\x00ff5c");
        UUID u = UUID.randomUUID();
        assertThat(CopyRows.render(u)).isEqualTo(u.toString());
        assertThat(CopyRows.render(LocalDate.of(1, 1, 1))).isEqualTo("0001-01-01");
        assertThat(CopyRows.render(LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000)))
                .isEqualTo("2026-03-29 02:30:00.123456");
        assertThat(CopyRows.render(OffsetDateTime.of(2026, 10, 25, 1, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))))
                .isEqualTo("2026-10-25 01:30:00.000000+05:30");
        assertThat(CopyRows.render(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-01-01 00:00:00.000000+00:00");
        assertThat(CopyRows.render(LocalTime.of(23, 59, 59, 999_999_000))).isEqualTo("23:59:59.999999");
        assertThat(CopyRows.render(OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(-3)))).isEqualTo("10:00-03:00");
    }

    @Test
    void rendersArraysWithEveryElementQuotedAndNullsBare() {
        assertThat(CopyRows.render(Arrays.asList(1, null, -1))).isEqualTo("{\"1\",NULL,\"-1\"}");
        assertThat(CopyRows.render(List.of("a\"b", "c\\d", "{,}"))).isEqualTo("{\"a\\\"b\",\"c\\\\d\",\"{,}\"}");
        assertThat(CopyRows.render(List.of(List.of(1, 2), List.of(3, 4)))).isEqualTo("{{\"1\",\"2\"},{\"3\",\"4\"}}");
        assertThat(CopyRows.render(List.of())).isEqualTo("{}");
    }

    @Test
    void leavesToBindingWhatHasNoExactTextFormHere() {
        assertThat(CopyRows.render(LocalDate.of(10_000, 1, 1))).as("year 10000").isNull();
        assertThat(CopyRows.render(LocalDate.of(0, 1, 1))).as("1 BC").isNull();
        assertThat(CopyRows.render(LocalDateTime.of(2026, 1, 1, 0, 0, 0, 1))).as("nanoseconds").isNull();
        assertThat(CopyRows.render(OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.ofTotalSeconds(3601))))
                .as("offset with seconds").isNull();
        assertThat(CopyRows.render("nul\0inside")).as("NUL").isNull();
        assertThat(CopyRows.render(new Object())).isNull();
        assertThat(CopyRows.encode(List.of(List.of(1L, "a"), Arrays.asList(2L, List.of(new Object()))))).isNull();
    }

    @Test
    void escapesFieldAndLineSeparatorsAndBackslashesAndWritesNullAsBackslashN() {
        byte[] data = CopyRows.encode(List.of(
                Arrays.asList(1L, "tab\there", "line\nbreak\r", "back\\slash", null, "\\N"),
                Arrays.asList(2L, "Grüße 漢字 🙂", "", "x", new byte[] {0x5c}, "end")));
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo(
                "1\ttab\\there\tline\\nbreak\\r\tback\\\\slash\t\\N\t\\\\N\n"
                        + "2\tGrüße 漢字 🙂\t\tx\t\\\\x5c\tend\n");
    }
}
