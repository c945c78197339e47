package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import io.graybridge.mapping.Row;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A row image as it goes into an audit event: its columns in order as JSON values, sensitive ones hidden by
 * the {@link ColumnMasker}. A view, not a copy: an event renders it straight from the row
 * ({@link AuditEvent#toJsonBytes}), so the writer builds no map per image of every applied change; reading it
 * as a map (tests, other callers) materialises the map once.
 */
final class MaskedRow extends AbstractMap<String, Object> {
    private final Row row;
    /** The table's hidden columns, or {@code null} when it has none. */
    private final Set<String> hidden;
    private final List<String> keyColumns;
    private final ColumnMasker masker;
    private Map<String, Object> materialized;

    MaskedRow(Row row, Set<String> hidden, List<String> keyColumns, ColumnMasker masker) {
        this.row = row;
        this.hidden = hidden;
        this.keyColumns = keyColumns;
        this.masker = masker;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        if (materialized == null) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : row.asMap().entrySet()) {
                if (!dropped(e.getKey())) {
                    out.put(e.getKey(), value(e.getKey(), e.getValue()));
                }
            }
            materialized = out;
        }
        return materialized.entrySet();
    }

    /** Writes the row as a JSON object, column by column. */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : row.asMap().entrySet()) {
            if (!dropped(e.getKey())) {
                g.writeFieldName(e.getKey());
                AuditEvent.write(g, value(e.getKey(), e.getValue()));
            }
        }
        g.writeEndObject();
    }

    private boolean hides(String column) {
        return hidden != null && hidden.contains(column) && !keyColumns.contains(column);
    }

    private boolean dropped(String column) {
        return hides(column) && masker.drops();
    }

    private Object value(String column, Object raw) {
        Object value = JsonValues.of(raw);
        return hides(column) ? masker.hide(value) : value;
    }
}
