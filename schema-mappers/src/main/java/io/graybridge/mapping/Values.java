package io.graybridge.mapping;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** Value equality and rendering shared by rows, comparisons and reports. */
public final class Values {
    private Values() {}

    /**
     * Equality of two canonical values: {@code byte[]} by content, {@link BigDecimal} by numeric value
     * (so {@code 1.50} equals {@code 1.5}), everything else by {@link Object#equals}.
     */
    public static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    static int hash(Object v) {
        if (v instanceof byte[] bytes) {
            return Arrays.hashCode(bytes);
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? 0 : d.stripTrailingZeros().hashCode();
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
