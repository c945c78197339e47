package io.graybridge.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class EquivalenceTest {
    @Test
    void shouldTellNullFromEmptyUnlessConfigured() {
        assertThat(Equivalence.STRICT.same(null, "")).isFalse();
        assertThat(new Equivalence(true).same(null, "")).isTrue();
        assertThat(new Equivalence(true).same("a", "")).isFalse();
    }

    @Test
    void shouldCompareNumbersByValue() {
        assertThat(Equivalence.STRICT.same(new BigDecimal("1.50"), new BigDecimal("1.5"))).isTrue();
        assertThat(Equivalence.STRICT.same(-0.0d, 0.0d)).isTrue();
        assertThat(Equivalence.STRICT.same(Double.NaN, Double.NaN)).isTrue();
        assertThat(Equivalence.STRICT.same(7L, 7)).isTrue();
        assertThat(Equivalence.STRICT.same(1.5d, "1.5")).isFalse();
        assertThat(Equivalence.STRICT.same(Long.valueOf(123_456_789L), Long.valueOf(123_456_789L))).isTrue();
        assertThat(Equivalence.STRICT.same(123_456_789L, 123_456_788L)).isFalse();
        assertThat(Equivalence.STRICT.same(5L, new BigDecimal("5.00"))).isTrue();
        assertThat(Equivalence.STRICT.same(5L, null)).isFalse();
    }

    @Test
    void shouldCompareOffsetDateTimesByInstant() {
        assertThat(Equivalence.STRICT.same(OffsetDateTime.parse("2026-01-01T12:00:00+02:00"),
                OffsetDateTime.parse("2026-01-01T10:00:00Z"))).isTrue();
    }
}
