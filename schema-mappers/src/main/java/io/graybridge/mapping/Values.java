package io.graybridge.mapping;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** Value equality and rendering shared by rows, comparisons and reports. */
public final class Values {
    private Values() {}

    /**
     * Equality of two canonical values: {@code byte[]} by content; integral numbers and decimals by
     * numeric value whatever their Java type (so {@code 1.50} equals {@code 1.5} and a {@code Short} 7
     * equals a {@code Long} 7); offset date-times by instant; everything else by {@link Object#equals}.
     */
    public static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (isExactNumber(a) && isExactNumber(b)) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
            return x.isEqual(y);
        }
        return Objects.equals(a, b);
    }

    private static boolean isExactNumber(Object v) {
        return v instanceof BigDecimal || v instanceof BigInteger || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte;
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    /** A hash consistent with {@link #same}. */
    public static int hash(Object v) {
        if (v instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (isExactNumber(v)) {
            BigDecimal d = decimal(v);
            return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().hashCode();
        }
        return Objects.hashCode(v);
    }

    /** A short human-readable form for logs and reports. */
    public static String render(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return v.toString();
    }
}
