package io.graybridge.bridge.apply;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import java.util.List;
import java.util.stream.Collectors;

/** SQL text of the writer's statements on one target table (PostgreSQL). */
final class Statements {
    private Statements() {}

    /**
     * {@code INSERT ... ON CONFLICT (key) DO UPDATE SET ...}: inserts the full row when the key is new,
     * otherwise overwrites only {@code updateColumns} (nothing when empty).
     */
    static String upsert(Dialect d, TableInfo table, List<String> columns, List<String> updateColumns) {
        String values = columns.stream().map(c -> placeholder(table, c)).collect(Collectors.joining(", "));
        String conflict = table.primaryKey().stream().map(d::quote).collect(Collectors.joining(", "));
        String action = updateColumns.isEmpty()
                ? "DO NOTHING"
                : "DO UPDATE SET " + updateColumns.stream()
                        .map(c -> d.quote(c) + " = EXCLUDED." + d.quote(c))
                        .collect(Collectors.joining(", "));
        return "INSERT INTO " + d.qualified(table.schema(), table.name()) + " ("
                + columns.stream().map(d::quote).collect(Collectors.joining(", ")) + ") VALUES (" + values
                + ") ON CONFLICT (" + conflict + ") " + action;
    }

    static String delete(Dialect d, TableInfo table) {
        return "DELETE FROM " + d.qualified(table.schema(), table.name()) + " WHERE "
                + table.primaryKey().stream()
                        .map(c -> d.quote(c) + " = " + placeholder(table, c))
                        .collect(Collectors.joining(" AND "));
    }

    private static String placeholder(TableInfo table, String column) {
        return table.column(column)
                .filter(ColumnInfo::needsCast)
                .map(c -> "CAST(? AS " + c.type() + ")")
                .orElse("?");
    }
}
