package io.graybridge.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.reconcile.Equivalence;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
    @Test
    void shouldOrderTextByCodePointLikeCollateC() {
        assertThat(KeyOrder.value("B", "a")).isNegative(); // binary order: upper case first
        assertThat(KeyOrder.value("\uFFFD", "\uD83D\uDE00")).isNegative(); // UTF-16 order would say the opposite
        assertThat(KeyOrder.value("ab", "abc")).isNegative();
    }

    @Test
    void shouldOrderUuidsAsUnsignedBytes() {
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID high = UUID.fromString("f0000000-0000-0000-0000-000000000000");
        assertThat(KeyOrder.value(low, high)).isNegative();
    }

    @Test
    void shouldOrderNumbersByValueAndCompositeKeysColumnByColumn() {
        assertThat(KeyOrder.value(2L, new BigDecimal("10"))).isNegative();
        assertThat(KeyOrder.value(-5L, 3L)).isNegative();
        assertThat(KeyOrder.value(Long.MAX_VALUE, Long.MIN_VALUE)).isPositive();
        assertThat(KeyOrder.value(7L, Long.valueOf(7_000L / 1_000))).isZero();
        assertThat(KeyOrder.value(Integer.MIN_VALUE, 0)).isNegative();
        assertThat(KeyOrder.value(3, 2L)).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(List.of(1L, "b"), List.of(1L, "a"))).isPositive();
        assertThat(KeyOrder.INSTANCE.compare(List.of(1L, "a"), List.of(2L, "a"))).isNegative();
    }

    @Test
    void shouldStripOnlyCharPaddingSpaces() {
        assertThat(KeyedTable.stripPadding("ab  ")).isEqualTo("ab");
        assertThat(KeyedTable.stripPadding("ab\t")).isEqualTo("ab\t");
    }

    @Test
    void shouldHashValuesByTypeAndKeepNullApartFromEmpty() {
        assertThat(PgPushdown.valueHash("\"c\"", Column.Kind.TEXT, Equivalence.STRICT))
                .isEqualTo("hashtextextended(coalesce((\"c\")::text COLLATE \"C\", ''),"
                        + " CASE WHEN \"c\" IS NULL THEN 4::int8 ELSE 0::int8 END)");
        Column padded = new Column("c", "character(4)", "bpchar", true);
        assertThat(PgPushdown.valueHash("\"c\"", padded, Column.Kind.TEXT, Equivalence.STRICT))
                .as("a bare char(n) column: no cast to text").startsWith("hashbpcharextended(coalesce(\"c\", '') COLLATE \"C\", ");
        assertThat(PgPushdown.valueHash("\"c\"", padded, Column.Kind.CHAR, new Equivalence(true)))
                .as("NULL equals '': the blank char goes through nullif").contains("nullif((\"c\")::text");
        assertThat(PgPushdown.valueHash("\"c\"", null, Column.Kind.CHAR, Equivalence.STRICT)).contains("hashtextextended");
        assertThat(PgPushdown.valueHash("\"c\"", Column.Kind.TEXT, new Equivalence(true))).contains("nullif");
        assertThat(PgPushdown.valueHash("\"n\"", Column.Kind.DECIMAL, Equivalence.STRICT)).contains("hash_numeric_extended");
        assertThat(PgPushdown.valueHash("\"t\"", Column.Kind.TIMESTAMPTZ, Equivalence.STRICT)).contains("AT TIME ZONE 'UTC'");
        assertThat(PgPushdown.literal("it's")).isEqualTo("'it''s'");
    }
}
