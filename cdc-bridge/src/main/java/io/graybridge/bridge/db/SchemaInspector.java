package io.graybridge.bridge.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads table definitions from a side's catalog. */
public final class SchemaInspector {
    private final SideDatabase db;

    public SchemaInspector(SideDatabase db) {
        this.db = db;
    }

    public boolean schemaExists(String schema) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_namespace WHERE nspname = :s")
                        .bind("s", schema)
                        .mapTo(Integer.class)
                        .one())
                > 0;
    }

    /** The table {@code schema.table}, or empty when it does not exist. */
    public Optional<TableInfo> table(String schema, String table) {
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

    /** The server's {@code wal_level}. */
    public String walLevel() {
        return db.withHandle(h -> h.createQuery("SHOW wal_level").mapTo(String.class).one());
    }
}
