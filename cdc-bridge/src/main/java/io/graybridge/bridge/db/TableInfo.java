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
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
