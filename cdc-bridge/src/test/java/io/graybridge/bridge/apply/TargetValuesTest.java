package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetValuesTest {
    private static ColumnInfo col(String type) {
        return new ColumnInfo("c", type, true, false);
    }

    private static Object pg(String type, Object v) {
        return TargetValues.forColumn(Dialect.POSTGRESQL, col(type), v);
    }

    private static Object maria(String type, Object v) {
        return TargetValues.forColumn(Dialect.MARIADB, col(type), v);
    }

    @Test
    void shouldTurnATinyintOneZeroOrOneIntoABooleanAndRejectOtherNumbers() {
        assertThat(pg("boolean", (short) 1)).isEqualTo(true);
        assertThat(pg("boolean", 0)).isEqualTo(false);
        assertThat(pg("boolean", new BigDecimal("1.00"))).isEqualTo(true);
        assertThat(pg("boolean", true)).isEqualTo(true);
        assertThatThrownBy(() -> pg("boolean", (short) 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only 0 and 1 are booleans");
        assertThat(maria("tinyint(1)", true)).as("a number on MariaDB, as Debezium reads it").isEqualTo((short) 1);
        assertThat(maria("tinyint(1)", (short) 5)).isEqualTo((short) 5);
    }

    @Test
    void shouldWriteBitsAsDigitsOfTheDeclaredLengthOnBothEngines() {
        assertThat(pg("bit(10)", "101")).isEqualTo("0000000101");
        assertThat(maria("bit(10)", "0000000101")).isEqualTo("0000000101");
        assertThat(maria("bit(1)", true)).isEqualTo("1");
        assertThat(pg("bit(4)", 9L)).isEqualTo("1001");
        assertThat(pg("bit varying(16)", "0011")).as("varbit keeps its own length").isEqualTo("0011");
        assertThatThrownBy(() -> pg("bit(3)", "1111")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 significant bits do not fit in 3");
        assertThatThrownBy(() -> pg("bit(3)", "12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadMariaDbBitBytesAsDigits() throws Exception {
        assertThat(TargetValues.fromTarget(Dialect.MARIADB, col("bit(10)"), new byte[] {0x01, 0x55})).isEqualTo("0101010101");
        assertThat(TargetValues.bitsOfBigEndian(new byte[] {(byte) 0x80})).isEqualTo("10000000");
    }

    @Test
    void shouldCarryASetAsATextArrayAndBack() {
        assertThat(pg("text[]", "a,b,c d")).isEqualTo(List.of("a", "b", "c d"));
        assertThat(pg("text[]", "")).as("the empty set").isEqualTo(List.of());
        assertThat(maria("set('a','b','c d')", List.of("a", "c d"))).isEqualTo("a,c d");
        assertThat(maria("set('a')", List.of())).isEqualTo("");
        assertThatThrownBy(() -> maria("set('a')", List.of("x,y"))).hasMessageContaining("cannot hold a comma");
        assertThat(maria("text", List.of("a"))).as("only a SET column joins a list").isEqualTo(List.of("a"));
    }

    @Test
    void shouldWriteInstantsAsUtcDateTimesOnMariaDbAndDateTimesAsUtcInstantsIntoTimestamptz() {
        OffsetDateTime t = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(maria("timestamp(6)", t)).isEqualTo(LocalDateTime.of(2024, 6, 1, 6, 30, 0, 123_456_000));
        assertThat(maria("datetime(6)", t.toInstant())).isEqualTo(LocalDateTime.of(2024, 6, 1, 6, 30, 0, 123_456_000));
        assertThat(pg("timestamp(6) without time zone", t)).isEqualTo(LocalDateTime.of(2024, 6, 1, 6, 30, 0, 123_456_000));
        LocalDateTime local = LocalDateTime.of(2024, 6, 1, 6, 30);
        assertThat(pg("timestamp(6) with time zone", local)).isEqualTo(local.atOffset(ZoneOffset.UTC));
        assertThat(maria("datetime(6)", local)).isSameAs(local);
    }

    @Test
    void shouldCompareJsonbAsJsonNotAsText() {
        assertThat(pg("jsonb", "{\"z\": 1, \"a\": [1, 2.50, {\"c\": null}]}"))
                .isEqualTo(pg("jsonb", "{\"a\":[1,2.50,{\"c\":null}],\"z\":1}"));
        assertThat(pg("jsonb", "{\"n\":12345678901234567890}")).isEqualTo("{\"n\":12345678901234567890}");
        assertThat(pg("json", "{\"z\": 1}")).as("json keeps its text").isEqualTo("{\"z\": 1}");
        assertThat(pg("jsonb", "not json")).as("left for PostgreSQL to reject").isEqualTo("not json");
    }

    @Test
    void shouldNameTheTableColumnAndValueOfARowItCannotConvert() {
        TableInfo t = new TableInfo("app", "flags", List.of(new ColumnInfo("id", "bigint", false, false),
                new ColumnInfo("on", "boolean", true, false)), List.of("id"), true);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 7L);
        values.put("on", (short) 2);
        assertThatThrownBy(() -> TargetValues.forTarget(Dialect.POSTGRESQL, t, Row.of(values)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("PostgreSQL column app.flags.on (boolean) cannot hold 2")
                .hasMessageContaining("only 0 and 1 are booleans");
        values.put("on", (short) 1);
        assertThat(TargetValues.forTarget(Dialect.POSTGRESQL, t, Row.of(values)).get("on")).isEqualTo(true);
    }
}
