package io.graybridge.bridge.audit;

import io.graybridge.mapping.Row;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Canonical Java values as JSON values: numbers and booleans as such, times in ISO-8601, bytes in base64, the rest as text. */
public final class JsonValues {
    private JsonValues() {}

    public static Object of(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof TemporalAccessor) {
            return v.toString();
        }
        return String.valueOf(v);
    }

    /** A row as an ordered map of JSON values, or {@code null}. */
    public static Map<String, Object> of(Row row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        row.asMap().forEach((k, v) -> out.put(k, of(v)));
        return out;
    }
}
