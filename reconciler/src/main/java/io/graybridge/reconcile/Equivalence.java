package io.graybridge.reconcile;

import io.graybridge.mapping.Values;

/**
 * When two canonical values count as the same in a comparison (see the README's "Drift reports").
 *
 * <ul>
 *   <li>{@code NULL} and the empty string are different, unless {@code nullEqualsEmpty};</li>
 *   <li>exact numbers compare by value whatever their scale or Java type ({@code 1.50} = {@code 1.5});</li>
 *   <li>floating-point numbers compare by value, so {@code -0.0} = {@code 0.0}, and NaN equals NaN;</li>
 *   <li>{@code timestamptz} values compare by instant, whatever their offset;</li>
 *   <li>{@code char(n)} values lose their trailing spaces when read (as PostgreSQL compares them);</li>
 *   <li>{@code bytea} by content; everything else by {@link Object#equals}.</li>
 * </ul>
 *
 * @param nullEqualsEmpty treat {@code NULL} and {@code ''} as the same value
 */
public record Equivalence(boolean nullEqualsEmpty) {
    /** The default: {@code NULL} and {@code ''} differ. */
    public static final Equivalence STRICT = new Equivalence(false);

    public boolean same(Object a, Object b) {
        if (nullEqualsEmpty) {
            a = "".equals(a) ? null : a;
            b = "".equals(b) ? null : b;
        }
        if (a == b) {
            return true; // also NaN and NaN, and a byte[] with itself
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue(); // the common case, without going through BigDecimal
        }
        if (isFloat(a) || isFloat(b)) {
            if (!(a instanceof Number x) || !(b instanceof Number y)) {
                return false;
            }
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            return dx == dy || (Double.isNaN(dx) && Double.isNaN(dy));
        }
        return Values.same(a, b);
    }

    private static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float;
    }
}
