package io.graybridge.bridge.db;

import java.util.List;
import java.util.Optional;

/**
 * A table as the database declares it.
 *
 * @param schema its schema
 * @param name its name
 * @param columns its columns in ordinal order
 * @param primaryKey its primary key columns in key order (empty when it has none)
 * @param fullRowImages whether changes carry complete before images (PostgreSQL {@code REPLICA IDENTITY FULL})
 */
public record TableInfo(
        String schema, String name, List<ColumnInfo> columns, List<String> primaryKey, boolean fullRowImages) {

    public TableInfo {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    public Optional<ColumnInfo> column(String column) {
        for (ColumnInfo c : columns) { // a loop, not a stream: looked up for every value of every applied change
            if (c.name().equals(column)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
