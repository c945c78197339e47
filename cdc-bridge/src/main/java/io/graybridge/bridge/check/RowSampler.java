package io.graybridge.bridge.check;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads, never writes: a sample of a table's rows as canonical values, and the labels of enum types. */
public final class RowSampler {
    private final SideDatabase db;

    public RowSampler(SideDatabase db) {
        this.db = db;
    }

    /** Up to {@code limit} rows of {@code table}, in key order (a stable sample). */
    public List<Row> sample(TableInfo table, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Dialect d = db.dialect();
        String order = table.primaryKey().isEmpty() ? ""
                : " ORDER BY " + String.join(", ", table.primaryKey().stream().map(d::quote).toList());
        String sql = "SELECT * FROM " + d.quote(table.schema()) + "." + d.quote(table.name()) + order + " LIMIT " + limit;
        return db.withHandle(h -> h.createQuery(sql).map((rs, ctx) -> row(rs, table, d)).list());
    }

    /** The labels of {@code column}'s type when it is a PostgreSQL enum, in their order; empty otherwise. */
    public List<String> enumLabels(ColumnInfo column) {
        if (db.dialect().mysqlFamily()) {
            return TypePairs.labels(column.type()); // MariaDB ENUM and SET declare theirs in the column type
        }
        String type = column.type().replace("\"", "");
        String name = type.contains(".") ? type.substring(type.lastIndexOf('.') + 1) : type;
        return db.withHandle(h -> h.createQuery("SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                        + " WHERE t.typname = :t ORDER BY e.enumsortorder")
                .bind("t", name)
                .mapTo(String.class)
                .list());
    }

    private static Row row(ResultSet rs, TableInfo table, Dialect dialect) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<ColumnInfo> columns = new ArrayList<>(table.columns());
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i).name(), value(rs, rs.findColumn(columns.get(i).name()), columns.get(i), dialect));
        }
        return Row.of(values);
    }

    private static Object value(ResultSet rs, int index, ColumnInfo column, Dialect dialect) throws SQLException {
        // a MariaDB DATETIME as a timestamp, its TIMESTAMP as a timestamptz (read in the session's UTC)
        String t = TypePairs.generatorType(dialect, column.type()).toLowerCase(Locale.ROOT);
        if (t.startsWith("timestamp") && t.contains("with time zone") && !t.contains("without")) {
            return rs.getObject(index, OffsetDateTime.class);
        }
        if (t.startsWith("timestamp")) {
            return rs.getObject(index, LocalDateTime.class);
        }
        if (t.equals("date")) {
            return rs.getObject(index, LocalDate.class);
        }
        if (t.startsWith("time")) {
            return rs.getObject(index, LocalTime.class);
        }
        Object v = rs.getObject(index);
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof byte[] || v instanceof java.util.UUID) {
            return v;
        }
        return rs.getString(index); // json, jsonb, enums and other PostgreSQL objects: their text
    }
}
