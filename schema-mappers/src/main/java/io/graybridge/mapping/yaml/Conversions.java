package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
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

    /** Name of {@link #timestampToTimestamptz}. */
    public static final String TIMESTAMP_TO_TIMESTAMPTZ = "timestamp-to-timestamptz";
    /** Its inverse. */
    public static final String TIMESTAMPTZ_TO_TIMESTAMP = "timestamptz-to-timestamp";
    /** Name of {@link #booleanToChar}. */
    public static final String BOOLEAN_TO_CHAR = "boolean-to-char";
    /** Its inverse. */
    public static final String CHAR_TO_BOOLEAN = "char-to-boolean";

    /** The conversions that need settings of their own, with the key each needs. */
    private static final Map<String, String> WITH_SETTINGS = Map.of(
            TIMESTAMP_TO_TIMESTAMPTZ, "zone",
            TIMESTAMPTZ_TO_TIMESTAMP, "zone",
            BOOLEAN_TO_CHAR, "flags",
            CHAR_TO_BOOLEAN, "flags");

    /** Every name, in documentation order (including the ones with settings, see {@link #setting}). */
    public static Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(BY_NAME.keySet());
        names.addAll(List.of(TIMESTAMP_TO_TIMESTAMPTZ, TIMESTAMPTZ_TO_TIMESTAMP, BOOLEAN_TO_CHAR, CHAR_TO_BOOLEAN));
        return java.util.Collections.unmodifiableSet(names);
    }

    /** The rule key a conversion needs besides {@code convert} ({@code zone}, {@code flags}), if any. */
    public static Optional<String> setting(String name) {
        return Optional.ofNullable(WITH_SETTINGS.get(name));
    }


    /**
     * A local date-time ({@code timestamp}) read as a wall-clock time in {@code zone} to an offset
     * date-time ({@code timestamptz}); backward, the instant as a wall-clock time in {@code zone}. A local
     * time that does not exist in the zone (skipped by a daylight-saving change) is rejected: it could
     * not come back.
     */
    public static Conversion timestampToTimestamptz(ZoneId zone) {
        return new Simple(TIMESTAMP_TO_TIMESTAMPTZ + " (" + zone + ")", v -> localToOffset(v, zone), v -> offsetToLocal(v, zone));
    }

    /** The inverse of {@link #timestampToTimestamptz}. */
    public static Conversion timestamptzToTimestamp(ZoneId zone) {
        return new Simple(TIMESTAMPTZ_TO_TIMESTAMP + " (" + zone + ")", v -> offsetToLocal(v, zone), v -> localToOffset(v, zone));
    }

    /** {@code true}/{@code false} to the declared flag texts ({@code "Y"}/{@code "N"}); backward only those two. */
    public static Conversion booleanToChar(String trueFlag, String falseFlag) {
        return new Simple(BOOLEAN_TO_CHAR + " (" + trueFlag + "/" + falseFlag + ")",
                v -> booleanToFlag(v, trueFlag, falseFlag), v -> flagToBoolean(v, trueFlag, falseFlag));
    }

    /** The inverse of {@link #booleanToChar}. */
    public static Conversion charToBoolean(String trueFlag, String falseFlag) {
        return new Simple(CHAR_TO_BOOLEAN + " (" + trueFlag + "/" + falseFlag + ")",
                v -> flagToBoolean(v, trueFlag, falseFlag), v -> booleanToFlag(v, trueFlag, falseFlag));
    }

    private static Object localToOffset(Object value, ZoneId zone) {
        if (!(value instanceof LocalDateTime local)) {
            throw new IllegalArgumentException("expected a timestamp without time zone, got " + describe(value));
        }
        java.time.ZonedDateTime zoned = local.atZone(zone);
        if (!zoned.toLocalDateTime().equals(local)) {
            throw new IllegalArgumentException(local + " does not exist in " + zone + " (skipped by a daylight-saving change)");
        }
        return zoned.toOffsetDateTime();
    }

    private static Object offsetToLocal(Object value, ZoneId zone) {
        if (value instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(zone).toLocalDateTime();
        }
        if (value instanceof java.time.Instant i) {
            return LocalDateTime.ofInstant(i, zone);
        }
        throw new IllegalArgumentException("expected a timestamp with time zone, got " + describe(value));
    }

    private static Object booleanToFlag(Object value, String trueFlag, String falseFlag) {
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("expected a boolean, got " + describe(value));
        }
        return b ? trueFlag : falseFlag;
    }

    private static Object flagToBoolean(Object value, String trueFlag, String falseFlag) {
        if (trueFlag.equals(value)) {
            return Boolean.TRUE;
        }
        if (falseFlag.equals(value)) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException(Values.render(value) + " is neither the true flag " + Values.render(trueFlag)
                + " nor the false flag " + Values.render(falseFlag));
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
