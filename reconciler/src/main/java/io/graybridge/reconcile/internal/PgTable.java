package io.graybridge.reconcile.internal;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One side's table on PostgreSQL, as the reconciler reads it: its catalog columns, its key, and the SQL
 * for key ranges in the binary key order. Ranges are {@code (lo, hi]}: after {@code lo} (exclusive, none
 * means from the start) up to {@code hi} (inclusive, none means to the end); keys are value lists in key
 * column order.
 */
public final class PgTable {
    private final String schema;
    private final String table;
    private final List<Column> columns;
    private final List<Column> key;
    private final List<Column> selected;
    private final String[] selectedNames;
    private final Column.Kind[] selectedKinds;

    private PgTable(String schema, String table, List<Column> columns, List<Column> key, List<Column> selected) {
        this.schema = schema;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.selected = List.copyOf(selected);
        this.selectedNames = selected.stream().map(Column::name).toArray(String[]::new);
        this.selectedKinds = selected.stream().map(Column::kind).toArray(Column.Kind[]::new);
    }

    /** Reads the table's columns from the catalog; fails naming the table when it or a key column is missing. */
    public static PgTable load(Connection c, String schema, String table, List<String> keyColumns) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                        + " CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END, t.typcollation <> 0"
                        + " FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid"
                        + " JOIN pg_namespace n ON n.oid = cl.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
                        + " LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
                        + " WHERE n.nspname = ? AND cl.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                        + " ORDER BY a.attnum")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH, "table " + schema + "." + table + " does not exist");
        }
        if (keyColumns.isEmpty()) {
            throw new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH, "table " + schema + "." + table
                    + " has no primary key: the reconciler compares rows by key");
        }
        List<Column> key = new ArrayList<>();
        for (String k : keyColumns) {
            key.add(columns.stream().filter(col -> col.name().equals(k)).findFirst().orElseThrow(() ->
                    new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH, "table " + schema + "." + table
                            + " has no key column '" + k + "'")));
        }
        return new PgTable(schema, table, columns, key, columns);
    }

    /** The same table reading only {@code names} (plus the key), in that order. */
    public PgTable selecting(List<String> names) {
        List<Column> chosen = new ArrayList<>();
        for (Column k : key) {
            chosen.add(k);
        }
        for (String n : names) {
            Column col = column(n).orElseThrow(() -> new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH,
                    "table " + qualifiedName() + " has no column '" + n + "' that the mapping writes"));
            if (!chosen.contains(col)) {
                chosen.add(col);
            }
        }
        return new PgTable(schema, table, columns, key, chosen);
    }

    public String qualifiedName() {
        return schema + "." + table;
    }

    public String from() {
        return quote(schema) + "." + quote(table);
    }

    public List<Column> columns() {
        return columns;
    }

    public List<Column> key() {
        return key;
    }

    public List<String> keyNames() {
        return key.stream().map(Column::name).toList();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A key column as it sorts: text-like columns in the binary collation. */
    static String ordered(Column c) {
        return quote(c.name()) + (c.collatable() ? " COLLATE \"C\"" : "");
    }

    /** {@code "a" COLLATE "C", "b"} */
    public String keyOrder() {
        return key.stream().map(PgTable::ordered).collect(Collectors.joining(", "));
    }

    /** The predicate of range {@code (lo, hi]} ({@code TRUE} when unbounded); bind with {@link #bindRange}. */
    public String rangePredicate(List<Object> lo, List<Object> hi) {
        List<String> parts = new ArrayList<>();
        if (lo != null) {
            parts.add(keyTuple() + " > " + placeholders());
        }
        if (hi != null) {
            parts.add(keyTuple() + " <= " + placeholders());
        }
        return parts.isEmpty() ? "TRUE" : String.join(" AND ", parts);
    }

    /** Binds {@code lo} and {@code hi} (those not null) from parameter {@code first}; returns the next index. */
    public int bindRange(PreparedStatement ps, int first, List<Object> lo, List<Object> hi) throws SQLException {
        int i = first;
        for (List<Object> bound : java.util.Arrays.asList(lo, hi)) {
            if (bound != null) {
                for (Object v : bound) {
                    ps.setObject(i++, v);
                }
            }
        }
        return i;
    }

    private String keyTuple() {
        return key.size() == 1 ? ordered(key.get(0)) : "(" + keyOrder() + ")";
    }

    private String placeholders() {
        return key.size() == 1 ? "?" : "(" + key.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** {@code SELECT <selected> FROM t WHERE <range> ORDER BY <key> LIMIT n}. */
    public String selectRange(List<Object> lo, List<Object> hi, int limit) {
        return "SELECT " + selected.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")) + " FROM "
                + from() + " WHERE " + rangePredicate(lo, hi) + " ORDER BY " + keyOrder() + " LIMIT " + limit;
    }

    /** Reads the current row of {@code rs} (selected columns, in order) as canonical values. */
    public Row read(ResultSet rs) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>(selectedNames.length * 2);
        for (int i = 0; i < selectedNames.length; i++) {
            values.put(selectedNames[i], value(rs, i + 1, selectedKinds[i])); // kinds worked out once, not per value
        }
        return Row.of(values);
    }

    /** The key of {@code row} (in this table's column names) as a value list. */
    public List<Object> keyOf(Row row) {
        List<Object> k = new ArrayList<>(key.size());
        for (Column c : key) {
            k.add(row.get(c.name()));
        }
        return k;
    }

    static Object value(ResultSet rs, int i, Column.Kind kind) throws SQLException {
        Object v = switch (kind) {
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ -> rs.getObject(i, OffsetDateTime.class);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case BYTEA -> rs.getBytes(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case TEXT, OTHER -> rs.getString(i);
            case CHAR -> stripPadding(rs.getString(i));
            default -> rs.getObject(i);
        };
        return rs.wasNull() ? null : v;
    }

    /** {@code char(n)} pads with spaces; PostgreSQL ignores them when comparing, and so do we. */
    static String stripPadding(String s) {
        if (s == null) {
            return null;
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}
