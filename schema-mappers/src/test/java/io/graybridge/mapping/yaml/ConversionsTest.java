package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ConversionsTest {
    private static final Conversion CENTS = Conversions.CENTS_TO_DECIMAL;

    @Test
    void shouldConvertCentsToADecimalWithScaleTwo() {
        assertThat(CENTS.forward(1234L)).isEqualTo(new BigDecimal("12.34"));
        assertThat(CENTS.forward(-1)).isEqualTo(new BigDecimal("-0.01"));
        assertThat(CENTS.forward((short) 0)).isEqualTo(new BigDecimal("0.00"));
        assertThat(CENTS.forward(BigInteger.valueOf(5))).isEqualTo(new BigDecimal("0.05"));
        assertThat(CENTS.forward(new BigDecimal("1200.000"))).isEqualTo(new BigDecimal("12.00"));
        assertThat(((BigDecimal) CENTS.forward(0L)).scale()).isEqualTo(2);
    }

    @Test
    void shouldConvertDecimalsBackToExactLongCents() {
        assertThat(CENTS.backward(new BigDecimal("12.34"))).isEqualTo(1234L);
        assertThat(CENTS.backward(new BigDecimal("-0.01"))).isEqualTo(-1L);
        assertThat(CENTS.backward(new BigDecimal("0.000"))).isEqualTo(0L);
        assertThat(CENTS.backward(new BigDecimal("12.3000"))).isEqualTo(1230L);
        assertThat(CENTS.backward(new BigDecimal("1E+2"))).isEqualTo(10000L);
        assertThat(CENTS.backward(3L)).as("whole currency units").isEqualTo(300L);
    }

    @Test
    void shouldRoundTripTheLongBoundaries() {
        assertThat(CENTS.forward(Long.MAX_VALUE)).isEqualTo(new BigDecimal("92233720368547758.07"));
        assertThat(CENTS.backward(CENTS.forward(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(CENTS.backward(CENTS.forward(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> CENTS.backward(new BigDecimal("92233720368547758.08")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not fit a 64-bit integer");
    }

    @Test
    void shouldRejectValuesThatAreNotWholeCents() {
        assertThatThrownBy(() -> CENTS.backward(new BigDecimal("12.345")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("12.345 has more than 2 decimal places: it is not a whole number of cents");
        assertThatThrownBy(() -> CENTS.forward(new BigDecimal("12.5")))
                .hasMessage("12.5 is not a whole number: expected integer cents");
        assertThatThrownBy(() -> CENTS.forward(1.5d)).hasMessage("expected integer cents, got 1.5 (Double)");
        assertThatThrownBy(() -> CENTS.backward("12.00")).hasMessage("expected a decimal amount, got '12.00' (String)");
    }

    @Test
    void shouldPassNullThroughEveryConversion() {
        for (String name : Conversions.names()) {
            if (Conversions.setting(name).isPresent()) {
                continue; // built with their settings; covered by ColumnRulesTest
            }
            Conversion c = Conversions.named(name).orElseThrow();
            assertThat(c.forward(null)).as(name).isNull();
            assertThat(c.backward(null)).as(name).isNull();
        }
    }

    @Test
    void shouldConvertIntegersToCanonicalStringsAndBack() {
        Conversion c = Conversions.INT_TO_STRING;

        assertThat(c.forward(42L)).isEqualTo("42");
        assertThat(c.forward(-7)).isEqualTo("-7");
        assertThat(c.backward("42")).isEqualTo(42L);
        assertThat(c.backward("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> c.backward("05")).hasMessageContaining("'05' is not an integer written plainly");
        assertThatThrownBy(() -> c.backward("abc")).hasMessageContaining("'abc' is not an integer");
        assertThatThrownBy(() -> c.backward("9223372036854775808")).hasMessageContaining("does not fit a 64-bit integer");
        assertThatThrownBy(() -> c.forward("42")).hasMessage("expected an integer, got '42' (String)");
        assertThat(Conversions.STRING_TO_INT.forward("12")).isEqualTo(12L);
        assertThat(Conversions.STRING_TO_INT.backward(12L)).isEqualTo("12");
    }

    @Test
    void shouldConvertBooleansToZeroAndOneAndBack() {
        Conversion c = Conversions.BOOLEAN_TO_INT;

        assertThat(c.forward(true)).isEqualTo(1);
        assertThat(c.forward(false)).isEqualTo(0);
        assertThat(c.backward(1)).isEqualTo(true);
        assertThat(c.backward(0L)).isEqualTo(false);
        assertThat(c.backward((short) 1)).isEqualTo(true);
        assertThatThrownBy(() -> c.backward(2)).hasMessage("2 (Integer) is not a boolean: only 0 and 1 are");
        assertThatThrownBy(() -> c.forward("true")).hasMessage("expected a boolean, got 'true' (String)");
        assertThat(Conversions.INT_TO_BOOLEAN.forward(1L)).isEqualTo(true);
        assertThat(Conversions.INT_TO_BOOLEAN.backward(false)).isEqualTo(0);
    }
}
