package io.graybridge.bridge.audit;

import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.mapping.Row;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    private final Set<String> columns;
    private final AuditConfig.Masking mode;
    private final byte[] salt;
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(this::newMac);

    public ColumnMasker(Set<String> columns, AuditConfig.Masking mode, String salt) {
        this.columns = Set.copyOf(columns);
        this.mode = mode;
        this.salt = salt == null ? new byte[0] : salt.getBytes(StandardCharsets.UTF_8);
    }

    public static ColumnMasker of(AuditConfig config) {
        return new ColumnMasker(config.maskedColumns(), config.masking(), config.hashSalt().reveal());
    }

    /** {@code row} of {@code table} as JSON values with its sensitive columns hidden (keys kept); {@code null} stays {@code null}. */
    public Map<String, Object> apply(String table, Row row, List<String> keyColumns) {
        Map<String, Object> json = JsonValues.of(row);
        if (json == null || columns.isEmpty()) {
            return json;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        json.forEach((column, value) -> {
            if (!columns.contains(table + "." + column) || keyColumns.contains(column)) {
                out.put(column, value);
            } else if (mode == AuditConfig.Masking.MASK) {
                out.put(column, value == null ? null : MASK);
            } else if (mode == AuditConfig.Masking.HASH) {
                out.put(column, value == null ? null : hash(String.valueOf(value)));
            }
        });
        return out;
    }

    String hash(String value) {
        return "sha256:" + HexFormat.of().formatHex(mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
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
