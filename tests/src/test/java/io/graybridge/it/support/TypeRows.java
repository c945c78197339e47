package io.graybridge.it.support;

import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table, {@code type_rows}, holding a column of each type of issue 5 item 4 on each side's engine, with the
 * type the other engine maps it to (README, "Types between MariaDB/MySQL and PostgreSQL"). Values are written and
 * read in a <em>canonical text form</em> per column, the same on both engines: {@link #literal} turns a
 * canonical value into the side's SQL literal, {@link #read} reads a side's rows back into canonical text, so a
 * test compares both sides column by column, value for value.
 *
 * <p>TIMESTAMP / timestamptz values are instants, canonically in UTC ({@code 2024-06-01 12:00:00.123456});
 * the fixture writes them through a session in {@link #WRITE_ZONE} (not UTC) and reads them in UTC.
 */
public final class TypeRows implements SideSql, AutoCloseable {

    /** The zone of the sessions the fixture writes through: a non-UTC offset with a half hour. */
    public static final String WRITE_ZONE = "+05:30";

    /** Columns in table order, the key first. */
    public static final List<String> COLUMNS = List.of("id", "u8", "u16", "u32", "u64", "flag", "dt", "ts", "d", "mood",
            "tags", "doc", "amount", "neg", "bits", "bin", "vbin", "blb", "txt", "order", "key", "group", "desc");

    private static final String MARIADB_DDL = "CREATE TABLE type_rows (id BIGINT PRIMARY KEY,"
            + " u8 TINYINT UNSIGNED, u16 SMALLINT UNSIGNED, u32 INT UNSIGNED, u64 BIGINT UNSIGNED,"
            + " flag TINYINT(1), dt DATETIME(6), ts TIMESTAMP(6) NULL, d DATE,"
            + " mood ENUM('happy','sad','it''s ok'), tags SET('a','b','c d'), doc JSON,"
            + " amount DECIMAL(20,6), neg DECIMAL(5,2), bits BIT(10), bin BINARY(4), vbin VARBINARY(16), blb BLOB,"
            + " txt TEXT, `order` INT, `key` VARCHAR(20), `group` VARCHAR(20), `desc` TEXT"
            + ") DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    private static final String POSTGRES_DDL = "CREATE TYPE %1$s.mood AS ENUM ('happy', 'sad', 'it''s ok');"
            + "CREATE TABLE %1$s.type_rows (id bigint PRIMARY KEY,"
            + " u8 smallint, u16 integer, u32 bigint, u64 numeric(20),"
            + " flag boolean, dt timestamp(6), ts timestamptz(6), d date,"
            + " mood %1$s.mood, tags text[], doc jsonb,"
            + " amount numeric(20,6), neg numeric(5,2), bits bit(10), bin bytea, vbin bytea, blb bytea,"
            + " txt text, \"order\" integer, \"key\" varchar(20), \"group\" varchar(20), \"desc\" text);"
            + "ALTER TABLE %1$s.type_rows REPLICA IDENTITY FULL";

    private final Engines engines;
    private final String name;
    private final String metadata;
    private final String[] databases = new String[2];
    private final Path dir;

    private TypeRows(Engines engines, String name, Path dir) {
        this.engines = engines;
        this.name = name;
        this.metadata = name + "_meta";
        this.dir = dir;
    }

    /** Creates both sides' databases and their {@code type_rows} tables. */
    public static TypeRows create(String prefix, Engines engines) {
        String name = JdbcUrl.uniqueName(prefix);
        TypeRows f;
        try {
            f = new TypeRows(engines, name, Files.createTempDirectory("graybridge-it-" + prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (Side side : Side.values()) {
                f.createSide(side);
            }
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void createSide(Side side) {
        String db = name.substring(TestDatabases.NAME_PREFIX.length()) + "_" + side.id();
        if (engines.of(side).binlog()) {
            databases[side.ordinal()] = engines.of(side).server().createDatabase(db);
            execute(side, MARIADB_DDL);
        } else {
            databases[side.ordinal()] = TestDatabases.postgres().createDatabase(db);
            execute(side, "CREATE SCHEMA types_" + side.id());
            for (String sql : String.format(POSTGRES_DDL, schema(side)).split(";")) {
                execute(side, sql);
            }
        }
    }

    public Engines engines() {
        return engines;
    }

    public String schema(Side side) {
        return engines.of(side).binlog() ? databases[side.ordinal()] : "types_" + side.id();
    }

    public String table(Side side) {
        return schema(side) + ".type_rows";
    }

    public String jdbcUrl(Side side) {
        return engines.of(side).binlog() ? engines.of(side).server().jdbcUrl(databases[side.ordinal()])
                : TestDatabases.postgres().jdbcUrl(databases[side.ordinal()]);
    }

    @Override
    public Connection connect(Side side) throws SQLException {
        return engines.of(side).binlog() ? engines.of(side).server().connect(databases[side.ordinal()])
                : TestDatabases.postgres().connect(databases[side.ordinal()]);
    }

    /** Runs {@code sql} on {@code side} in a session whose time zone is {@link #WRITE_ZONE}. */
    public void write(Side side, String... sql) {
        try (Connection c = connect(side); Statement s = c.createStatement()) {
            s.execute(engines.of(side).binlog() ? "SET time_zone = '" + WRITE_ZONE + "'"
                    : "SET TIME ZONE INTERVAL '" + WRITE_ZONE + "' HOUR TO MINUTE");
            for (String one : sql) {
                s.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + side + ": " + String.join("; ", sql) + ": " + e.getMessage(), e);
        }
    }

    /** {@code INSERT} of a row given in canonical values (a missing or null value is NULL). */
    public String insert(Side side, Map<String, String> row) {
        List<String> cols = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String c : COLUMNS) {
            cols.add(quote(side, c));
            values.add(literal(side, c, row.get(c)));
        }
        return "INSERT INTO " + table(side) + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", values) + ")";
    }

    /** {@code UPDATE} setting the given canonical values on the row {@code id}. */
    public String update(Side side, long id, Map<String, String> set) {
        List<String> sets = new ArrayList<>();
        set.forEach((c, v) -> sets.add(quote(side, c) + " = " + literal(side, c, v)));
        return "UPDATE " + table(side) + " SET " + String.join(", ", sets) + " WHERE id = " + id;
    }

    private String quote(Side side, String column) {
        return engines.of(side).binlog() ? "`" + column + "`" : "\"" + column + "\"";
    }

    /** The SQL literal on {@code side} of the canonical {@code value} of {@code column}. */
    public String literal(Side side, String column, String value) {
        if (value == null) {
            return "NULL";
        }
        boolean maria = engines.of(side).binlog();
        switch (column) {
            case "id", "u8", "u16", "u32", "u64", "amount", "neg", "order":
                return value;
            case "flag":
                return maria ? ("true".equals(value) ? "1" : "0") : value;
            case "ts":
                // canonical UTC; written through a session in WRITE_ZONE, as the application there would
                return maria ? "CONVERT_TZ('" + value + "', '+00:00', '" + WRITE_ZONE + "')"
                        : "TIMESTAMPTZ '" + value + "+00'";
            case "tags":
                return text(maria ? value : "{" + (value.isEmpty() ? "" : "\"" + value.replace(",", "\",\"") + "\"") + "}", maria);
            case "bits":
                return "B'" + value + "'";
            case "bin", "vbin", "blb":
                return maria ? "X'" + value + "'" : "decode('" + value + "', 'hex')";
            default:
                return text(value, maria);
        }
    }

    /** A string literal; MariaDB reads a backslash as an escape, PostgreSQL (standard strings) does not. */
    private static String text(String s, boolean maria) {
        String quoted = s.replace("'", "''");
        return "'" + (maria ? quoted.replace("\\", "\\\\") : quoted) + "'";
    }

    /** Every row of {@code side}, by id, each as column -> canonical value (NULL as {@code null}). */
    public List<Map<String, String>> read(Side side) {
        boolean maria = engines.of(side).binlog();
        List<String> exprs = new ArrayList<>();
        for (String c : COLUMNS) {
            exprs.add(maria ? mariaDbText(c, engines.of(side)) : postgresText(c));
        }
        String sql = "SELECT " + String.join(", ", exprs) + " FROM " + table(side) + " ORDER BY id";
        List<Map<String, String>> out = new ArrayList<>();
        try (Connection c = connect(side); Statement s = c.createStatement()) {
            s.execute(maria ? "SET time_zone = '+00:00'" : "SET TIME ZONE 'UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        row.put(COLUMNS.get(i), rs.getString(i + 1));
                    }
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + side + ": " + sql + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The canonical text of column {@code c} on MariaDB or MySQL (MySQL has no JSON_COMPACT; its JSON is binary). */
    private static String mariaDbText(String c, Engine engine) {
        return switch (c) {
            case "flag" -> "CASE flag WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE CONCAT('tinyint ', flag) END";
            case "dt", "ts" -> "DATE_FORMAT(" + c + ", '%Y-%m-%d %H:%i:%s.%f')";
            case "d" -> "DATE_FORMAT(d, '%Y-%m-%d')";
            case "bits" -> "LPAD(BIN(bits), 10, '0')";
            case "bin", "vbin", "blb" -> "LOWER(HEX(" + c + "))";
            case "doc" -> engine == Engine.MYSQL ? "CAST(doc AS CHAR)" : "JSON_COMPACT(doc)";
            default -> "CAST(`" + c + "` AS CHAR)";
        };
    }

    private static String postgresText(String c) {
        return switch (c) {
            case "dt", "ts" -> "to_char(" + c + ", 'YYYY-MM-DD HH24:MI:SS.US')";
            case "d" -> "to_char(d, 'YYYY-MM-DD')";
            case "tags" -> "array_to_string(tags, ',')";
            case "bin", "vbin", "blb" -> "encode(" + c + ", 'hex')";
            default -> "\"" + c + "\"::text";
        };
    }

    /**
     * Writes a bridge config for {@code type_rows} with no mapping file (the identity mapping: same column names
     * on both sides, values converted by type) and returns it.
     */
    public Path writeConfig(boolean twoWay) {
        return writeConfig(twoWay, "pause");
    }

    /** {@link #writeConfig(boolean)} with the forward lane's dead-letter policy ({@code pause} or {@code skip}). */
    public Path writeConfig(boolean twoWay, String deadLetterPolicy) {
        return writeConfig(twoWay, deadLetterPolicy, "type_rows");
    }

    /** {@link #writeConfig(boolean, String)} for the listed tables ({@code a, b}) of both sides. */
    public Path writeConfig(boolean twoWay, String deadLetterPolicy, String tables) {
        String yaml = "bridge:\n"
                + "  name: it-" + name.replace('_', '-').substring(0, Math.min(36, name.length())) + "\n"
                + "  metadata-schema: " + metadata + "\n"
                + "sides:\n"
                + side(Side.V1)
                + side(Side.V2)
                + "tables: [" + tables + "]\n"
                + "verify:\n"
                + "  enabled: false\n"
                + "lanes:\n"
                + "  v1-to-v2:\n"
                + "    slot-name: " + name + "_v1\n"
                + "    poll-interval-ms: 20\n"
                + "    dead-letters:\n"
                + "      policy: " + deadLetterPolicy + "\n"
                + "  v2-to-v1:\n"
                + "    enabled: " + twoWay + "\n"
                + "    slot-name: " + name + "_v2\n"
                + "    poll-interval-ms: 20\n";
        try {
            Path file = dir.resolve("bridge.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String side(Side side) {
        boolean maria = engines.of(side).binlog();
        String user = maria ? engines.of(side).server().user() : TestDatabases.postgres().user();
        String password = password(side);
        return "  " + side.id() + ":\n"
                + "    jdbc-url: " + jdbcUrl(side) + "\n"
                + "    user: " + user + "\n"
                + (password.isEmpty() ? "" : "    password-env: GB_IT_PASSWORD_" + side.id().toUpperCase(java.util.Locale.ROOT) + "\n")
                + "    schema: " + schema(side) + "\n";
    }

    private String password(Side side) {
        return engines.of(side).binlog() ? engines.of(side).server().password() : TestDatabases.postgres().password();
    }

    /** The environment the config's secrets come from. */
    public Map<String, String> env() {
        return Map.of("GB_IT_PASSWORD_V1", password(Side.V1), "GB_IT_PASSWORD_V2", password(Side.V2));
    }

    public Path dir() {
        return dir;
    }

    /** Open dead letters of the lane into {@code target}, each as {@code table|key|error}. */
    public List<String> deadLetters(Side target) {
        return rows(target, "SELECT source_table, row_key, error FROM " + metadata + ".dead_letter ORDER BY id");
    }

    @Override
    public void close() {
        java.util.Set<Engine> servers = java.util.EnumSet.noneOf(Engine.class);
        for (Side side : Side.values()) {
            String db = databases[side.ordinal()];
            if (db == null) {
                continue;
            }
            if (engines.of(side).binlog()) {
                engines.of(side).server().dropDatabase(db);
                servers.add(engines.of(side));
            } else {
                TestDatabases.postgres().dropDatabase(db);
            }
        }
        for (Engine engine : servers) {
            engine.server().dropDatabase(metadata);
        }
    }
}
