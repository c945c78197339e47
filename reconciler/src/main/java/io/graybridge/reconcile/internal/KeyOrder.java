package io.graybridge.reconcile.internal;

import io.graybridge.mapping.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The order of primary keys that both databases agree on, in Java: the order of {@code ORDER BY key}
 * with text keys in the binary collation ({@code COLLATE "C"}, which is code-point order for UTF-8).
 * Numbers by value, text by code point, {@code uuid} and {@code bytea} as unsigned bytes, date-times
 * (with an offset: by instant) chronologically, {@code false} before {@code true}.
 */
public final class KeyOrder implements Comparator<List<Object>> {
    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {}

    @Override
    public int compare(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = value(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Compares two key values; {@code null} sorts last, as {@code ORDER BY ... ASC} does. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int value(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? 1 : -1;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y); // the common key, without going through BigDecimal
        }
        if (a instanceof Integer x && b instanceof Integer y) {
            return Integer.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
                double dx = x.doubleValue();
                double dy = y.doubleValue();
                return dx == dy ? 0 : Double.compare(dx, dy);
            }
            return decimal(x).compareTo(decimal(y));
        }
        if (a instanceof String x && b instanceof String y) {
            return codePoints(x, y);
        }
        if (a instanceof UUID x && b instanceof UUID y) {
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof OffsetDateTime x && b instanceof OffsetDateTime y) {
            return x.toInstant().compareTo(y.toInstant());
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return codePoints(Values.render(a), Values.render(b));
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        return BigDecimal.valueOf(n.longValue());
    }

    /** Code-point order, which is the byte order of UTF-8 (String.compareTo is UTF-16 order: not the same). */
    static int codePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }
}
