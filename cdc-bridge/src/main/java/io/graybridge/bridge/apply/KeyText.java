package io.graybridge.bridge.apply;

import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * A row key as one text that both lanes render alike for one table, whatever Java type a value arrived as (a key
 * captured on a side and the same key translated into that side's shape by the other lane): the key columns in the
 * table's key order, numbers in plain decimal form, bytes in hex, everything else by {@code toString()}.
 */
public final class KeyText {
    private KeyText() {}

    /** The text of {@code row}'s values in {@code keyColumns}. */
    public static String of(List<String> keyColumns, Row row) {
        StringBuilder out = new StringBuilder();
        for (String column : keyColumns) {
            if (out.length() > 0) {
                out.append('\u001f');
            }
            out.append(value(row.get(column)));
        }
        return out.toString();
    }

    private static String value(Object v) {
        if (v == null) {
            return "\u0000";
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer || v instanceof Short
                || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    /** One SHA-256 digest per thread: {@link #hash} runs for every key of every batch (lookups and records). */
    private static final ThreadLocal<java.security.MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** A fixed-length digest of table and key, the lookup key of {@code key_write}. */
    public static byte[] hash(String table, String key) {
        java.security.MessageDigest md = SHA256.get();
        md.update(table.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return md.digest();
    }
}
