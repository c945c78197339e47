package io.graybridge.reconcile.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One side's table on MariaDB or MySQL (a "schema" is a database; {@link #engine()} says which): columns from {@code information_schema.columns},
 * their types named as PostgreSQL names the same kind of value ({@code bigint} is {@code int8},
 * {@code datetime} is {@code timestamp}, {@code timestamp} is {@code timestamptz}, {@code tinyint(1)} is
 * {@code bool}, {@code decimal} is {@code numeric}, text types are {@code text}, binary ones {@code bytea}),
 * so {@link Column#kind()} and the comparison treat both engines alike.
 *
 * <p>Key order: a text key is ordered and ranged as {@code CAST(col AS BINARY)}, its UTF-8 bytes, which is
 * code-point order, the order of PostgreSQL's {@code COLLATE "C"} and of {@link KeyOrder}. MariaDB's own
 * collations (even {@code utf8mb4_bin}, which ignores trailing spaces) would order some keys differently.
 * The cast keeps the key index from serving the order, so each chunk of a text-keyed table sorts; keys in a
 * {@code *_nopad_bin} collation or of a binary or numeric type use the index as they are.
 */
public final class MariaDbTable extends KeyedTable {
    private final String engine;

    private MariaDbTable(String engine, String schema, String table, List<Column> columns, List<Column> key,
            List<Column> selected) {
        super(schema, table, columns, key, selected);
        this.engine = engine;
    }

    /** Reads the table's columns from the catalog; fails naming the table when it or a key column is missing. */
    public static MariaDbTable load(Connection c, String schema, String table, List<String> keyColumns) throws SQLException {
        return load(c, schema, table, keyColumns, "MariaDB");
    }

    /** {@link #load(Connection, String, String, List)} on {@code engine} ({@code MariaDB} or {@code MySQL}). */
    static MariaDbTable load(Connection c, String schema, String table, List<String> keyColumns, String engine)
            throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, column_type, data_type, collation_name"
                + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String collation = rs.getString(4);
                    String type = typeName(rs.getString(3), rs.getString(2));
                    // MariaDB's UUID type sorts by its time fields first: ordered by its text, like java.util.UUID
                    boolean byteOrdered = !type.equals("uuid")
                            && (collation == null || collation.toLowerCase(Locale.ROOT).endsWith("_nopad_bin"));
                    columns.add(new Column(rs.getString(1), rs.getString(2), type, !byteOrdered));
                }
            }
        }
        List<Column> key = keyOf(schema, table, columns, keyColumns);
        return new MariaDbTable(engine, schema, table, columns, key, columns);
    }

    /** The PostgreSQL name of the kind of value a MariaDB column holds (see the class comment). */
    static String typeName(String dataType, String columnType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        String full = columnType.toLowerCase(Locale.ROOT);
        boolean unsigned = full.contains("unsigned");
        return switch (type) {
            case "tinyint" -> full.startsWith("tinyint(1)") ? "bool" : "int2";
            case "smallint" -> unsigned ? "int4" : "int2";
            case "mediumint", "int", "integer" -> unsigned ? "int8" : "int4";
            case "bigint" -> unsigned ? "numeric" : "int8";
            case "decimal", "numeric" -> "numeric";
            case "float" -> "float4";
            case "double", "real" -> "float8";
            case "char" -> "bpchar";
            case "varchar" -> "varchar";
            case "text", "tinytext", "mediumtext", "longtext", "enum", "set", "json" -> "text";
            case "datetime" -> "timestamp";
            case "timestamp" -> "timestamptz";
            case "date" -> "date";
            case "time" -> "time";
            case "binary", "varbinary", "blob", "tinyblob", "mediumblob", "longblob" -> "bytea";
            case "uuid" -> "uuid";
            default -> type;
        };
    }

    @Override
    MariaDbTable with(List<Column> chosen) {
        return new MariaDbTable(engine, schema(), table(), columns(), key(), chosen);
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public String quoteId(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    String ordered(Column c) {
        return c.collatable() ? "CAST(" + quoteId(c.name()) + " AS BINARY)" : quoteId(c.name());
    }

    /** By bytes: a text key's collation may call other keys equal ({@code 'a' = 'A'}, {@code 'a' = 'a '}). */
    @Override
    String matched(Column c) {
        return ordered(c);
    }

    @Override
    public String placeholder(Column column) {
        return "?";
    }

    @Override
    Object value(ResultSet rs, int i, Column.Kind kind) throws SQLException {
        switch (kind) {
            case BOOL -> {
                boolean b = rs.getBoolean(i);
                return rs.wasNull() ? null : b;
            }
            case UUID -> {
                String s = rs.getString(i);
                return s == null ? null : UUID.fromString(s);
            }
            case TIMESTAMPTZ -> {
                Timestamp t = rs.getTimestamp(i); // an instant, in the session's time zone
                return t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
            }
            default -> {
                return canonical(rs, i, kind);
            }
        }
    }
}
