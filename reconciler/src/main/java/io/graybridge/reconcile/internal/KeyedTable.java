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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One side's table as the reconciler reads it, on one engine: its catalog columns, its key, and the SQL for
 * key ranges in the binary key order both engines share (text keys by UTF-8 bytes, which is code-point order,
 * as {@link KeyOrder} compares them in Java). Ranges are {@code (lo, hi]}: after {@code lo} (exclusive, none
 * means from the start) up to {@code hi} (inclusive, none means to the end); keys are value lists in key
 * column order.
 *
 * <p>One subclass per engine ({@link PgTable}, {@link MariaDbTable}); they differ only in the catalog query,
 * identifier quoting, how a text key is put in binary order, and how a value is read. Everything that walks
 * a table (keyset chunks, the merge join, re-checks, repair) goes through this class.
 */
public abstract class KeyedTable {
    private final String schema;
    private final String table;
    private final List<Column> columns;
    private final List<Column> key;
    private final List<Column> selected;
    private final String[] selectedNames;
    private final Column.Kind[] selectedKinds;
    private final int[] keyPositions;
    private final Map<String, Integer> selectedIndex;

    KeyedTable(String schema, String table, List<Column> columns, List<Column> key, List<Column> selected) {
        this.schema = schema;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.selected = List.copyOf(selected);
        this.selectedNames = selected.stream().map(Column::name).toArray(String[]::new);
        this.selectedKinds = selected.stream().map(Column::kind).toArray(Column.Kind[]::new);
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < selectedNames.length; i++) {
            index.putIfAbsent(selectedNames[i], i);
        }
        this.selectedIndex = Map.copyOf(index);
        // a table that does not select its key (never built so) reads key values as absent (-1)
        this.keyPositions = key.stream().mapToInt(k -> index.getOrDefault(k.name(), -1)).toArray();
    }

    /**
     * Reads the table's columns from the catalog of whatever engine {@code c} talks to (PostgreSQL or MariaDB);
     * fails naming the table when it or a key column is missing, or the engine is another one.
     */
    public static KeyedTable load(Connection c, String schema, String table, List<String> keyColumns) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        String engine = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (engine.contains("postgresql")) {
            return PgTable.load(c, schema, table, keyColumns);
        }
        if (engine.contains("mariadb")) {
            return MariaDbTable.load(c, schema, table, keyColumns);
        }
        if (engine.contains("mysql")) {
            return MariaDbTable.load(c, schema, table, keyColumns, "MySQL"); // the same catalog and SQL
        }
        throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "table " + schema + "." + table + " is on " + product
                + ": the reconciler reads PostgreSQL, MariaDB and MySQL only");
    }

    /** Checks what every engine's catalog read must hold, and picks the key columns. */
    static List<Column> keyOf(String schema, String table, List<Column> columns, List<String> keyColumns) {
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
        return key;
    }

    /** The same table (same engine) reading only {@code chosen}. */
    abstract KeyedTable with(List<Column> chosen);

    /** The engine's name for people: {@code PostgreSQL}, {@code MariaDB}. */
    public abstract String engine();

    /** {@code identifier} quoted for this engine. */
    public abstract String quoteId(String identifier);

    /** A key column as it sorts in the binary order (text-like columns by their bytes). */
    abstract String ordered(Column c);

    /** A key column as {@code (k1, k2) IN (...)} matches it: by value, text keys by their bytes where the engine needs it. */
    String matched(Column c) {
        return quoteId(c.name());
    }

    /** The placeholder for a value written to {@code column} (PostgreSQL casts to the column's type). */
    public abstract String placeholder(Column column);

    /** The same table reading only {@code names} (plus the key), in that order. */
    public KeyedTable selecting(List<String> names) {
        List<Column> chosen = new ArrayList<>(key);
        for (String n : names) {
            Column col = column(n).orElseThrow(() -> new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH,
                    "table " + qualifiedName() + " has no column '" + n + "' that the mapping writes"));
            if (!chosen.contains(col)) {
                chosen.add(col);
            }
        }
        return with(chosen);
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    public String qualifiedName() {
        return schema + "." + table;
    }

    public String from() {
        return quoteId(schema) + "." + quoteId(table);
    }

    public List<Column> columns() {
        return columns;
    }

    public List<Column> key() {
        return key;
    }

    List<Column> selected() {
        return selected;
    }

    public List<String> keyNames() {
        return key.stream().map(Column::name).toList();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The key columns in binary order, for {@code ORDER BY}. */
    public String keyOrder() {
        return key.stream().map(this::ordered).collect(Collectors.joining(", "));
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
        return selectWhere(rangePredicate(lo, hi), limit);
    }

    /** {@code SELECT <selected> FROM t WHERE <predicate> ORDER BY <key> LIMIT n}. */
    public String selectWhere(String predicate, int limit) {
        return "SELECT " + selected.stream().map(c -> quoteId(c.name())).collect(Collectors.joining(", ")) + " FROM "
                + from() + " WHERE " + predicate + " ORDER BY " + keyOrder() + " LIMIT " + limit;
    }

    /** Reads the current row of {@code rs} (selected columns, in order) as canonical values. */
    public Row read(ResultSet rs) throws SQLException {
        return rowOf(readValues(rs));
    }

    /**
     * Reads the current row of {@code rs} as canonical values by position: element {@code i} is the value of
     * selected column {@code i} ({@link #selectedNames()}). The merge join works on these arrays; a
     * {@link Row} is built only for a row that is reported.
     */
    Object[] readValues(ResultSet rs) throws SQLException {
        Object[] values = new Object[selectedNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(rs, i + 1, selectedKinds[i]); // kinds worked out once, not per value
        }
        return values;
    }

    /** The names of the selected columns, in the order of {@link #readValues}; do not modify. */
    String[] selectedNames() {
        return selectedNames;
    }

    /** Where selected column {@code name} is in {@link #readValues}'s arrays, or -1 when it is not selected. */
    int position(String name) {
        Integer i = selectedIndex.get(name);
        return i == null ? -1 : i;
    }

    /** Where each key column is in {@link #readValues}'s arrays (-1 when not selected); do not modify. */
    int[] keyPositions() {
        return keyPositions;
    }

    /** The row of selected-column values {@code values} (as {@link #readValues} reads them). */
    Row rowOf(Object[] values) {
        Row.Builder b = Row.builder();
        for (int i = 0; i < selectedNames.length; i++) {
            b.put(selectedNames[i], values[i]);
        }
        return b.build();
    }

    /** The key of {@code row} (in this table's column names) as a value list. */
    public List<Object> keyOf(Row row) {
        List<Object> k = new ArrayList<>(key.size());
        for (Column c : key) {
            k.add(row.get(c.name()));
        }
        return k;
    }

    /** The key of a row read by {@link #readValues}, as a value list. */
    List<Object> keyOf(Object[] values) {
        List<Object> k = new ArrayList<>(keyPositions.length);
        for (int p : keyPositions) {
            k.add(p < 0 ? null : values[p]);
        }
        return k;
    }

    /** Column {@code i} of {@code rs} as the canonical value of a column of {@code kind}. */
    Object value(ResultSet rs, int i, Column.Kind kind) throws SQLException {
        return canonical(rs, i, kind);
    }

    static Object canonical(ResultSet rs, int i, Column.Kind kind) throws SQLException {
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

    /** {@code char(n)} pads with spaces; both engines ignore them when comparing, and so do we. */
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
