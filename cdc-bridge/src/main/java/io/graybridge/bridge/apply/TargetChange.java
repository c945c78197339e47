package io.graybridge.bridge.apply;

import io.graybridge.mapping.Row;
import java.util.List;
import java.util.Objects;

/**
 * One statement's worth of work on the target, already translated through the mapping.
 *
 * @param table the target table (unqualified)
 * @param kind upsert or delete
 * @param row for an upsert, the full translated row to insert when the key is missing; for a delete,
 *     the key values
 * @param updateColumns for an upsert, the columns to overwrite when the key exists (in order); empty
 *     means keep the existing row as it is
 */
public record TargetChange(String table, Kind kind, Row row, List<String> updateColumns) {

    public TargetChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(row, "row");
        updateColumns = List.copyOf(updateColumns);
    }

    public static TargetChange upsert(String table, Row row, List<String> updateColumns) {
        return new TargetChange(table, Kind.UPSERT, row, updateColumns);
    }

    public static TargetChange delete(String table, Row key) {
        return new TargetChange(table, Kind.DELETE, key, List.of());
    }

    public enum Kind {
        UPSERT,
        DELETE
    }
}
