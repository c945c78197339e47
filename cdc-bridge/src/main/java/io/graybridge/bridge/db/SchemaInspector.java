package io.graybridge.bridge.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads table definitions from a side's catalog: {@code pg_catalog} on PostgreSQL, {@code
 * information_schema} on MariaDB (where a schema is a database).
 */
public final class SchemaInspector {
    private final SideDatabase db;

    public SchemaInspector(SideDatabase db) {
        this.db = db;
    }

    public boolean schemaExists(String schema) {
        if (db.dialect().mysqlFamily()) {
            return db.withHandle(h -> h.createQuery(
                                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name = :s")
                            .bind("s", schema)
                            .mapTo(Integer.class)
                            .one())
                    > 0;
        }
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_namespace WHERE nspname = :s")
                        .bind("s", schema)
                        .mapTo(Integer.class)
                        .one())
                > 0;
    }

    /** The table {@code schema.table}, or empty when it does not exist. */
    public Optional<TableInfo> table(String schema, String table) {
        if (db.dialect().mysqlFamily()) {
            return mariaDbTable(schema, table);
        }
        return db.withHandle(h -> {
            Optional<String> identity = h.createQuery(
                            "SELECT c.relreplident::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " WHERE n.nspname = :s AND c.relname = :t AND c.relkind IN ('r', 'p')")
                    .bind("s", schema)
                    .bind("t", table)
                    .mapTo(String.class)
                    .findOne();
            if (identity.isEmpty()) {
                return Optional.<TableInfo>empty();
            }
            List<ColumnInfo> columns = h.createQuery(
                            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,"
                                    + " (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')"
                                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " WHERE n.nspname = :s AND c.relname = :t AND a.attnum > 0 AND NOT a.attisdropped"
                                    + " ORDER BY a.attnum")
                    .bind("s", schema)
                    .bind("t", table)
                    .map((rs, ctx) -> new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)))
                    .list();
            List<String> key = new ArrayList<>(h.createQuery(
                            "SELECT a.attname FROM pg_index i"
                                    + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true"
                                    + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
                                    + " WHERE n.nspname = :s AND c.relname = :t AND i.indisprimary ORDER BY k.ord")
                    .bind("s", schema)
                    .bind("t", table)
                    .mapTo(String.class)
                    .list());
            return Optional.of(new TableInfo(schema, table, columns, key, "f".equals(identity.get())));
        });
    }

    /**
     * A MariaDB table: columns with their full column type ({@code bigint(20) unsigned}, {@code decimal(12,2)}),
     * the primary key in key order. Before images are complete for every table when the server logs full row
     * images ({@code binlog_row_image=FULL}), a server setting that {@link LiveSchemaCheck} checks per lane.
     */
    private Optional<TableInfo> mariaDbTable(String schema, String table) {
        return db.withHandle(h -> {
            boolean exists = h.createQuery("SELECT count(*) FROM information_schema.tables"
                            + " WHERE table_schema = :s AND table_name = :t AND table_type = 'BASE TABLE'")
                    .bind("s", schema)
                    .bind("t", table)
                    .mapTo(Integer.class)
                    .one() > 0;
            if (!exists) {
                return Optional.<TableInfo>empty();
            }
            // COLUMN_DEFAULT is the text 'NULL' for a nullable column without a default, SQL NULL for none
            List<ColumnInfo> columns = h.createQuery(
                            "SELECT column_name, column_type, is_nullable = 'YES',"
                                    + " (column_default IS NOT NULL AND column_default <> 'NULL')"
                                    + " OR extra LIKE '%auto_increment%' OR extra LIKE '%GENERATED%'"
                                    + " OR extra LIKE '%VIRTUAL%' OR extra LIKE '%STORED%'"
                                    + " FROM information_schema.columns WHERE table_schema = :s AND table_name = :t"
                                    + " ORDER BY ordinal_position")
                    .bind("s", schema)
                    .bind("t", table)
                    .map((rs, ctx) -> new ColumnInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)))
                    .list();
            List<String> key = new ArrayList<>(h.createQuery(
                            "SELECT column_name FROM information_schema.statistics"
                                    + " WHERE table_schema = :s AND table_name = :t AND index_name = 'PRIMARY'"
                                    + " ORDER BY seq_in_index")
                    .bind("s", schema)
                    .bind("t", table)
                    .mapTo(String.class)
                    .list());
            return Optional.of(new TableInfo(schema, table, columns, key, true));
        });
    }

    /**
     * The server settings binlog capture needs, by name, as the server reports them: {@code log_bin}, {@code
     * binlog_format}, {@code binlog_row_image}, {@code binlog_row_metadata}; on MySQL also {@code gtid_mode}, {@code
     * enforce_gtid_consistency} and {@code binlog_row_value_options} (MariaDB has none of these three).
     */
    public java.util.Map<String, String> binlogSettings() {
        boolean mysql = db.dialect() == Dialect.MYSQL;
        return db.withHandle(h -> h.createQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image,"
                        + " @@binlog_row_metadata" + (mysql ? ", @@gtid_mode, @@enforce_gtid_consistency,"
                                + " @@binlog_row_value_options" : ""))
                .map((rs, ctx) -> {
                    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
                    out.put("log_bin", "1".equals(rs.getString(1)) ? "ON" : rs.getString(1));
                    out.put("binlog_format", rs.getString(2));
                    out.put("binlog_row_image", rs.getString(3));
                    out.put("binlog_row_metadata", rs.getString(4));
                    if (mysql) {
                        out.put("gtid_mode", rs.getString(5));
                        out.put("enforce_gtid_consistency", rs.getString(6));
                        out.put("binlog_row_value_options", rs.getString(7) == null ? "" : rs.getString(7));
                    }
                    return out;
                })
                .one());
    }

    /** The server's {@code wal_level}. */
    public String walLevel() {
        return db.withHandle(h -> h.createQuery("SHOW wal_level").mapTo(String.class).one());
    }
}
