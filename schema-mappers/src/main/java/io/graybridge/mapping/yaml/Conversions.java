package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The conversions a mapping file can name in {@code convert:}. */
public final class Conversions {
    private static final Pattern CANONICAL_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    /** Integer cents ({@code 1234}) to a decimal amount with scale 2 ({@code 12.34}); backward to a Long. */
    public static final Conversion CENTS_TO_DECIMAL =
            new Simple("cents-to-decimal", Conversions::centsToDecimal, Conversions::decimalToCents);
    /** An integer to its decimal text; backward only canonical text ({@code "5"}, not {@code "05"}) to a Long. */
    public static final Conversion INT_TO_STRING =
            new Simple("int-to-string", Conversions::integerToText, Conversions::textToInteger);
    /** The inverse of {@link #INT_TO_STRING}. */
    public static final Conversion STRING_TO_INT =
            new Simple("string-to-int", Conversions::textToInteger, Conversions::integerToText);
    /** {@code true}/{@code false} to Integer {@code 1}/{@code 0}; backward only 0 and 1. */
    public static final Conversion BOOLEAN_TO_INT =
            new Simple("boolean-to-int", Conversions::booleanToInteger, Conversions::integerToBoolean);
    /** The inverse of {@link #BOOLEAN_TO_INT}. */
    public static final Conversion INT_TO_BOOLEAN =
            new Simple("int-to-boolean", Conversions::integerToBoolean, Conversions::booleanToInteger);

    private static final Map<String, Conversion> BY_NAME = new LinkedHashMap<>();

    static {
        for (Conversion c : new Conversion[] {CENTS_TO_DECIMAL, INT_TO_STRING, STRING_TO_INT, BOOLEAN_TO_INT, INT_TO_BOOLEAN}) {
            BY_NAME.put(c.name(), c);
        }
    }

    private Conversions() {}

    public static Optional<Conversion> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every name, in documentation order. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    private record Simple(String name, UnaryOperator<Object> forward, UnaryOperator<Object> backward)
            implements Conversion {
        @Override
        public Object forward(Object v1Value) {
            return v1Value == null ? null : forward.apply(v1Value);
        }

        @Override
        public Object backward(Object v2Value) {
            return v2Value == null ? null : backward.apply(v2Value);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Object centsToDecimal(Object value) {
        BigInteger cents = wholeNumber(value, "integer cents");
        return new BigDecimal(cents, 2);
    }

    private static Object decimalToCents(Object value) {
        BigDecimal amount;
        if (value instanceof BigDecimal d) {
            amount = d;
        } else if (isInteger(value)) {
            amount = new BigDecimal(wholeNumber(value, "a decimal amount"));
        } else {
            throw new IllegalArgumentException("expected a decimal amount, got " + describe(value));
        }
        BigDecimal cents = amount.movePointRight(2);
        if (cents.signum() != 0 && cents.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(amount.toPlainString()
                    + " has more than 2 decimal places: it is not a whole number of cents");
        }
        try {
            return cents.toBigIntegerExact().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(amount.toPlainString() + " is too large: "
                    + cents.toPlainString() + " cents do not fit a 64-bit integer", e);
        }
    }

    private static Object integerToText(Object value) {
        if (!isInteger(value)) {
            throw new IllegalArgumentException("expected an integer, got " + describe(value));
        }
        return value.toString();
    }

    private static Object textToInteger(Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("expected a string, got " + describe(value));
        }
        if (!CANONICAL_INTEGER.matcher(s).matches()) {
            throw new IllegalArgumentException(Values.render(s)
                    + " is not an integer written plainly (digits, optional leading '-', no leading zeros or spaces)");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Values.render(s) + " does not fit a 64-bit integer", e);
        }
    }

    private static Object booleanToInteger(Object value) {
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("expected a boolean, got " + describe(value));
        }
        return b ? 1 : 0;
    }

    private static Object integerToBoolean(Object value) {
        BigInteger n = wholeNumber(value, "0 or 1");
        if (n.equals(BigInteger.ONE)) {
            return Boolean.TRUE;
        }
        if (n.signum() == 0) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException(describe(value) + " is not a boolean: only 0 and 1 are");
    }

    private static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }

    /** Long, Integer, Short, Byte, BigInteger, or a BigDecimal with no fractional part. */
    private static BigInteger wholeNumber(Object value, String expected) {
        if (value instanceof BigInteger b) {
            return b;
        }
        if (isInteger(value)) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(d.toPlainString() + " is not a whole number: expected " + expected, e);
            }
        }
        throw new IllegalArgumentException("expected " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        return Values.render(value) + " (" + value.getClass().getSimpleName() + ")";
    }
}
