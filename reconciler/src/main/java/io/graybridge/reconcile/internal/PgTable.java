package io.graybridge.reconcile.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One side's table on PostgreSQL: columns from {@code pg_attribute}, text keys ordered with
 * {@code COLLATE "C"} (byte order of the UTF-8 database encoding).
 */
public final class PgTable extends KeyedTable {

    private final java.util.Set<String> notNull;

    private PgTable(String schema, String table, List<Column> columns, List<Column> key, List<Column> selected,
            java.util.Set<String> notNull) {
        super(schema, table, columns, key, selected);
        this.notNull = java.util.Set.copyOf(notNull);
    }

    /** Whether the catalog declares {@code c} {@code NOT NULL} (a domain's own {@code NOT NULL} is not seen: nullable). */
    boolean notNull(Column c) {
        return notNull.contains(c.name());
    }

    /** Reads the table's columns from the catalog; fails naming the table when it or a key column is missing. */
    public static PgTable load(Connection c, String schema, String table, List<String> keyColumns) throws SQLException {
        List<Column> columns = new ArrayList<>();
        java.util.Set<String> notNull = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                        + " CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END, t.typcollation <> 0, a.attnotnull"
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
                    if (rs.getBoolean(5)) {
                        notNull.add(rs.getString(1));
                    }
                }
            }
        }
        List<Column> key = keyOf(schema, table, columns, keyColumns);
        return new PgTable(schema, table, columns, key, columns, notNull);
    }

    @Override
    PgTable with(List<Column> chosen) {
        return new PgTable(schema(), table(), columns(), key(), chosen, notNull);
    }

    @Override
    public PgTable selecting(List<String> names) {
        return (PgTable) super.selecting(names);
    }

    @Override
    public String engine() {
        return "PostgreSQL";
    }

    @Override
    public String quoteId(String identifier) {
        return quote(identifier);
    }

    @Override
    String ordered(Column c) {
        return orderedColumn(c);
    }

    @Override
    public String placeholder(Column column) {
        return "CAST(? AS " + column.sqlType() + ")";
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A key column as it sorts: text-like columns in the binary collation. */
    static String orderedColumn(Column c) {
        return quote(c.name()) + (c.collatable() ? " COLLATE \"C\"" : "");
    }
}
