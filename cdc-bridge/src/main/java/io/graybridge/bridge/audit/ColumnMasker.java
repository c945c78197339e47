package io.graybridge.bridge.audit;

import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.mapping.Row;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hides sensitive columns in audit events: {@code table.column} entries (either side's names) are masked
 * ({@code ****}), hashed ({@code sha256:} + HMAC-SHA256 of the value's text with a salt) or dropped. Key
 * columns are never hidden: they name the row in the subject and the record key (a documented limit).
 * Thread-safe.
 */
public final class ColumnMasker {
    /** What a masked value becomes with {@link AuditConfig.Masking#MASK}, as in drift reports. */
    public static final String MASK = "****";

    /** The hidden columns by table: every way of reading each {@code table.column} entry (names may hold dots). */
    private final Map<String, Set<String>> byTable = new java.util.HashMap<>();
    private final AuditConfig.Masking mode;
    private final byte[] salt;
    private final ThreadLocal<Hasher> hasher = ThreadLocal.withInitial(() -> new Hasher(newMac()));

    public ColumnMasker(Set<String> columns, AuditConfig.Masking mode, String salt) {
        for (String entry : columns) {
            for (int i = entry.indexOf('.'); i > 0; i = entry.indexOf('.', i + 1)) {
                byTable.computeIfAbsent(entry.substring(0, i), t -> new java.util.HashSet<>()).add(entry.substring(i + 1));
            }
        }
        this.mode = mode;
        this.salt = salt == null ? new byte[0] : salt.getBytes(StandardCharsets.UTF_8);
    }

    public static ColumnMasker of(AuditConfig config) {
        return new ColumnMasker(config.maskedColumns(), config.masking(), config.hashSalt().reveal());
    }

    /**
     * {@code row} of {@code table} as JSON values with its sensitive columns hidden (keys kept); {@code null} stays
     * {@code null}. A view of the row ({@link MaskedRow}), rendered straight into the event's JSON.
     */
    public Map<String, Object> apply(String table, Row row, List<String> keyColumns) {
        return row == null ? null : new MaskedRow(row, byTable.get(table), keyColumns, this);
    }

    /** The hidden columns of {@code table} (either side's name; key columns still to be exempted), or {@code null}. */
    Set<String> hiddenIn(String table) {
        return byTable.get(table);
    }

    /** Whether hidden columns are left out altogether. */
    boolean drops() {
        return mode == AuditConfig.Masking.DROP;
    }

    /** What a hidden column's JSON value becomes (not called when columns are dropped). */
    Object hide(Object value) {
        if (value == null) {
            return null;
        }
        return mode == AuditConfig.Masking.HASH ? hash(String.valueOf(value)) : MASK;
    }

    String hash(String value) {
        return hasher.get().hash(value);
    }

    /**
     * One thread's HMAC, remembering its last value: an update's before and after image mostly hold the same
     * sensitive value, which is then hashed once.
     */
    private static final class Hasher {
        private final Mac mac;
        private String lastValue;
        private String lastHash;

        Hasher(Mac mac) {
            this.mac = mac;
        }

        String hash(String value) {
            if (!value.equals(lastValue)) {
                lastHash = "sha256:" + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
                lastValue = value;
            }
            return lastHash;
        }
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(salt.length == 0 ? new byte[1] : salt, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
