package io.graybridge.it.support;

import io.graybridge.mapping.Side;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The example shop's customers, orders and suppliers (config/demo, config/mappings/shop.yaml; the configs it writes
 * map customers and orders) with each side on the engine
 * a test names: MariaDB or MySQL 8 (a fresh database on the test server per side: there a schema is a database) or
 * PostgreSQL (a fresh database holding the side's schema). The bridge's metadata gets a fresh name too, so tests
 * on the shared MariaDB server never meet; {@link #close} drops everything it created.
 *
 * <p>Suites take an {@link Engines} pair as their parameter and write SQL that both engines accept, or ask the
 * fixture for the engine-specific bits ({@link #insertCustomers}, {@link #customers}, {@link #orders}).
 */
public final class EngineShop implements SideSql, AutoCloseable {

    /** Which engine each side runs on. */
    public enum Engine {
        MARIADB,
        POSTGRESQL,
        /** MySQL 8 (Testcontainers {@code mysql:8.0}, only where Docker exists: skipped with the reason elsewhere). */
        MYSQL;

        /** MariaDB or MySQL: a schema is a database, capture reads the binlog. */
        public boolean binlog() {
            return this != POSTGRESQL;
        }

        /** The binlog server of this engine ({@link TestDatabases#mysql8()} aborts the test without Docker). */
        public BinlogServer server() {
            return switch (this) {
                case MARIADB -> TestDatabases.mariadb();
                case MYSQL -> TestDatabases.mysql8();
                case POSTGRESQL -> throw new IllegalStateException("PostgreSQL has no binlog");
            };
        }
    }

    /** The engines of v1 and v2, a test parameter. */
    public record Engines(Engine v1, Engine v2) {
        public Engine of(Side side) {
            return side == Side.V1 ? v1 : v2;
        }

        @Override
        public String toString() {
            return v1.name().toLowerCase(java.util.Locale.ROOT) + " v1 -> " + v2.name().toLowerCase(java.util.Locale.ROOT)
                    + " v2";
        }
    }

    private static final String MARIADB_V1 = ""
            + "CREATE TABLE customers (id BIGINT PRIMARY KEY, name TEXT NOT NULL, email TEXT,"
            + " balance_cents BIGINT NOT NULL DEFAULT 0, status CHAR(1) NOT NULL DEFAULT 'A',"
            + " created_at DATETIME(6) NOT NULL DEFAULT '2024-01-01 00:00:00');"
            + "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total_cents BIGINT NOT NULL,"
            + " placed_at DATETIME(6) NOT NULL DEFAULT '2024-01-01 00:00:00');"
            + "CREATE TABLE suppliers (id BIGINT PRIMARY KEY, contact_name TEXT NOT NULL,"
            + " status CHAR(1) NOT NULL DEFAULT 'A', street TEXT, city TEXT)";
    private static final String MARIADB_V2 = ""
            + "CREATE TABLE clients (id BIGINT PRIMARY KEY, full_name TEXT NOT NULL, email TEXT,"
            + " balance DECIMAL(12,2) NOT NULL DEFAULT 0, status CHAR(1) NOT NULL DEFAULT 'A',"
            + " tier VARCHAR(32) NOT NULL DEFAULT 'standard',"
            + " created_at DATETIME(6) NOT NULL DEFAULT '2024-01-01 00:00:00');"
            + "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total DECIMAL(12,2) NOT NULL,"
            + " placed_at DATETIME(6) NOT NULL DEFAULT '2024-01-01 00:00:00');"
            + "CREATE TABLE suppliers (id BIGINT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT,"
            + " status VARCHAR(32) NOT NULL DEFAULT 'active');"
            + "CREATE TABLE supplier_addresses (supplier_id BIGINT PRIMARY KEY, street TEXT, city TEXT,"
            + " FOREIGN KEY (supplier_id) REFERENCES suppliers (id))";

    private final Engines engines;
    private final String name;
    private final String metadata;
    private final String[] databases = new String[2];
    private final Path dir;
    private boolean oneDatabase;
    /** The least-privilege user on the binlog sides' servers ({@link #useLeastPrivilegeBinlogUser}), or null. */
    private String binlogUser;
    private String binlogPassword;

    private EngineShop(Engines engines, String name, Path dir) {
        this.engines = engines;
        this.name = name;
        this.metadata = name + "_meta";
        this.dir = dir;
    }

    /** Creates both sides and their tables. */
    public static EngineShop create(String prefix, Engines engines) {
        return create(prefix, engines, false);
    }

    /**
     * Creates both sides on PostgreSQL in one database (schemas {@code shop_v1} and {@code shop_v2} side by side,
     * both lanes' slots and the bridge's metadata in that database), where {@link #create} gives each side a
     * database of its own.
     */
    public static EngineShop createInOnePostgresDatabase(String prefix) {
        return create(prefix, new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), true);
    }

    private static EngineShop create(String prefix, Engines engines, boolean oneDatabase) {
        String name = JdbcUrl.uniqueName(prefix);
        EngineShop shop;
        try {
            shop = new EngineShop(engines, name, Files.createTempDirectory("graybridge-it-" + prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shop.oneDatabase = oneDatabase;
        try {
            for (Side side : Side.values()) {
                shop.createSide(side);
            }
        } catch (RuntimeException e) {
            shop.close();
            throw e;
        }
        return shop;
    }

    /** Whether both sides share one PostgreSQL database ({@link #createInOnePostgresDatabase}). */
    public boolean oneDatabase() {
        return oneDatabase;
    }

    private void createSide(Side side) {
        int i = side.ordinal();
        if (oneDatabase && side == Side.V2) {
            databases[i] = databases[Side.V1.ordinal()];
            try {
                execute(side, Files.readString(RepoPaths.config().resolve("demo/v2.sql")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (engines.of(side).binlog()) {
            databases[i] = engines.of(side).server().createDatabase(name.substring(TestDatabases.NAME_PREFIX.length())
                    + "_" + side.id());
            for (String sql : (side == Side.V1 ? MARIADB_V1 : MARIADB_V2).split(";")) {
                execute(side, sql);
            }
        } else {
            databases[i] = TestDatabases.postgres().createDatabase(name.substring(TestDatabases.NAME_PREFIX.length())
                    + "_" + side.id());
            try {
                execute(side, Files.readString(RepoPaths.config().resolve("demo/" + side.id() + ".sql")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Engines engines() {
        return engines;
    }

    /** The schema of {@code side}'s tables: the database itself on MariaDB, {@code shop_v1}/{@code shop_v2} on PostgreSQL. */
    public String schema(Side side) {
        return engines.of(side).binlog() ? databases[side.ordinal()] : "shop_" + side.id();
    }

    /** The replication slot of the lane capturing {@code side} in the configs {@link #writeConfig} writes. */
    public String slotName(Side side) {
        return name + "_" + side.id();
    }

    /** The bridge name {@link #writeConfig} gives its configs. */
    public String bridgeName() {
        return "it-" + name.replace('_', '-').substring(0, Math.min(36, name.length()));
    }

    /** The bridge's metadata schema (a database of its own on MariaDB). */
    public String metadataSchema() {
        return metadata;
    }

    /** {@code table} qualified for SQL on {@code side}. */
    public String table(Side side, String table) {
        return schema(side) + "." + table;
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

    /**
     * A connection to {@code side} for a test's writer whose update counts are the row changes the source's log
     * records, so a writer can count the changes a lane must apply. PostgreSQL logs every row an UPDATE matched,
     * also one it leaves as it was, and reports the matched rows. MariaDB logs no row event for a row left as it
     * was, and its driver reports matched ("found") rows unless asked for affected rows ({@code
     * useAffectedRows=true}, used here); an {@code INSERT IGNORE} that meets an existing key counts 0 either way.
     */
    public Connection connectCountingLoggedRows(Side side) throws SQLException {
        if (engines.of(side) == Engine.POSTGRESQL) {
            return connect(side);
        }
        String url = jdbcUrl(side);
        java.util.Properties props = new java.util.Properties();
        // MySQL's URL goes to MySQL Connector/J, which takes useAffectedRows too
        BinlogServer server = engines.of(side).server();
        props.setProperty("user", server.user());
        if (!server.password().isEmpty()) {
            props.setProperty("password", server.password());
        }
        props.setProperty("useAffectedRows", "true");
        return java.sql.DriverManager.getConnection(url, props);
    }

    /** A data source for {@code side} as the tests' admin user (for the reconciler, {@link Compare}). */
    public javax.sql.DataSource dataSource(Side side) {
        if (engines.of(side) == Engine.MYSQL) {
            com.mysql.cj.jdbc.MysqlDataSource ds = new com.mysql.cj.jdbc.MysqlDataSource();
            ds.setURL(jdbcUrl(side));
            ds.setUser(TestDatabases.mysql8().user());
            ds.setPassword(TestDatabases.mysql8().password());
            return ds;
        }
        if (engines.of(side) == Engine.MARIADB) {
            try {
                org.mariadb.jdbc.MariaDbDataSource ds = new org.mariadb.jdbc.MariaDbDataSource(jdbcUrl(side));
                ds.setUser(TestDatabases.mariadb().user());
                ds.setPassword(TestDatabases.mariadb().password());
                return ds;
            } catch (SQLException e) {
                throw new IllegalStateException("bad MariaDB URL " + jdbcUrl(side) + ": " + e.getMessage(), e);
            }
        }
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setURL(jdbcUrl(side));
        ds.setUser(TestDatabases.postgres().user());
        ds.setPassword(TestDatabases.postgres().password());
        return ds;
    }

    /** Inserts v1 customers {@code from..to} (id, name 'c<id>', balance_cents id) in one statement. */
    public void insertCustomers(int from, int to) {
        if (engines.v1() == Engine.MYSQL) {
            // MySQL has no sequence tables: a recursive CTE, allowed to count that far for this statement
            execute(Side.V1, "INSERT /*+ SET_VAR(cte_max_recursion_depth = 100000000) */ INTO "
                    + table(Side.V1, "customers") + " (id, name, balance_cents) WITH RECURSIVE s (g) AS (SELECT " + from
                    + " UNION ALL SELECT g + 1 FROM s WHERE g < " + to + ") SELECT g, CONCAT('c', g), g FROM s");
            return;
        }
        String series = engines.v1() == Engine.MARIADB ? "SELECT seq AS g FROM seq_" + from + "_to_" + to
                : "SELECT g FROM generate_series(" + from + ", " + to + ") g";
        execute(Side.V1, "INSERT INTO " + table(Side.V1, "customers") + " (id, name, balance_cents)"
                + " SELECT g, CONCAT('c', g), g FROM (" + series + ") s");
    }

    /** Every customer of {@code side} in v1's shape (id|name|email|balance_cents|status), by id. */
    public List<String> customers(Side side) {
        if (side == Side.V1) {
            return rows(side, "SELECT id, name, email, balance_cents, status FROM " + table(side, "customers")
                    + " ORDER BY id");
        }
        return rows(side, "SELECT id, full_name, email, " + cents(side, "balance") + ", status FROM "
                + table(side, "clients") + " ORDER BY id");
    }

    /** Every order of {@code side} in v1's shape (id|customer_id|total_cents), by id. */
    public List<String> orders(Side side) {
        if (side == Side.V1) {
            return rows(side, "SELECT id, customer_id, total_cents FROM " + table(side, "orders") + " ORDER BY id");
        }
        return rows(side, "SELECT id, customer_id, " + cents(side, "total") + " FROM " + table(side, "orders")
                + " ORDER BY id");
    }

    private String cents(Side side, String column) {
        return engines.of(side).binlog() ? "CAST(" + column + " * 100 AS SIGNED)"
                : "CAST(" + column + " * 100 AS bigint)";
    }

    /** Whether both sides hold the same customers and orders through the mapping. */
    public boolean inSync() {
        return customers(Side.V1).equals(customers(Side.V2)) && orders(Side.V1).equals(orders(Side.V2));
    }

    /** A counter of {@code lane} in the metadata of its target side (0 when there is no row yet). */
    public long progress(Side target, String lane, String column) {
        return count(target, "SELECT COALESCE(max(" + column + "), 0) FROM " + metadata + ".lane_progress"
                + " WHERE lane = '" + lane + "'");
    }

    /**
     * Writes a bridge config for this shop (customers and orders, config/mappings/shop.yaml) and returns it.
     *
     * @param twoWay whether the v2-to-v1 lane runs too
     * @param extra YAML added at the end (top-level keys)
     */
    public Path writeConfig(boolean twoWay, String extra) {
        return writeConfig(twoWay, extra, "");
    }

    /**
     * The same, with {@code laneSettings} (YAML lines indented by 4 spaces, e.g. {@code "    batch-size: 20\n"})
     * added to the v1-to-v2 lane.
     */
    public Path writeConfig(boolean twoWay, String extra, String laneSettings) {
        String yaml = "bridge:\n"
                + "  name: " + bridgeName() + "\n"
                + "  metadata-schema: " + metadata + "\n"
                + "sides:\n"
                + side(Side.V1)
                + side(Side.V2)
                + "mapping: " + RepoPaths.config().resolve("mappings/shop.yaml") + "\n"
                + "tables: [customers, orders]\n"
                + "verify:\n"
                + "  enabled: false\n"
                + "lanes:\n"
                + "  v1-to-v2:\n"
                + "    slot-name: " + name + "_v1\n"
                + "    poll-interval-ms: 20\n"
                + laneSettings
                + "  v2-to-v1:\n"
                + "    enabled: " + twoWay + "\n"
                + "    slot-name: " + name + "_v2\n"
                + "    poll-interval-ms: 20\n"
                + extra;
        try {
            Path file = dir.resolve("bridge.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String side(Side side) {
        String user = engines.of(side).binlog()
                ? (binlogUser != null ? binlogUser : engines.of(side).server().user()) : TestDatabases.postgres().user();
        String password = password(side);
        return "  " + side.id() + ":\n"
                + "    jdbc-url: " + jdbcUrl(side) + "\n"
                + "    user: " + user + "\n"
                + (password.isEmpty() ? "" : "    password-env: GB_IT_PASSWORD_" + side.id().toUpperCase(java.util.Locale.ROOT) + "\n")
                + "    schema: " + schema(side) + "\n";
    }

    private String password(Side side) {
        if (engines.of(side).binlog()) {
            return binlogUser != null ? binlogPassword : engines.of(side).server().password();
        }
        return TestDatabases.postgres().password();
    }

    /**
     * Creates a user holding only the grants the README documents for a bridge (capture on v1, writer on v2, its
     * metadata database) on each MariaDB or MySQL server of the pair, and makes {@link #writeConfig} connect those
     * sides as that user. MariaDB's binlog grant is {@code BINLOG MONITOR}, MySQL's {@code REPLICATION CLIENT}.
     * {@link #close} drops the user.
     */
    public void useLeastPrivilegeBinlogUser() {
        java.util.Set<Engine> servers = java.util.EnumSet.noneOf(Engine.class);
        for (Side side : Side.values()) {
            if (engines.of(side).binlog()) {
                servers.add(engines.of(side));
            }
        }
        if (servers.contains(Engine.MARIADB)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabases.mariadbGrantsEnforced(), "the least-privilege"
                    + " test needs a MariaDB that checks grants; " + TestDatabases.mariadb().description());
        }
        // MySQL user names hold at most 32 characters: keep the end, whose random part keeps concurrent tests apart
        binlogUser = name.length() > 32 ? name.substring(name.length() - 32) : name;
        binlogPassword = "pw-" + Long.toHexString(System.nanoTime());
        String user = "'" + binlogUser + "'@'%'";
        for (Engine engine : servers) {
            try (Connection c = engine.server().connect(null); Statement s = c.createStatement()) {
                s.execute("CREATE USER " + user + " IDENTIFIED BY '" + binlogPassword + "'");
                s.execute("GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, "
                        + (engine == Engine.MYSQL ? "REPLICATION CLIENT" : "BINLOG MONITOR") + " ON *.* TO " + user);
                for (Side side : Side.values()) {
                    if (engines.of(side) == engine) {
                        s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON `" + databases[side.ordinal()] + "`.* TO "
                                + user);
                    }
                }
                s.execute("GRANT ALL PRIVILEGES ON `" + metadata + "`.* TO " + user);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the bridge user " + user + " on " + engine.server()
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A copy of {@code config} (from {@link #writeConfig}) with the passwords written in, for the CLI run in
     * process (which reads no test environment).
     */
    public Path withInlinePasswords(Path config) {
        try {
            String yaml = Files.readString(config);
            for (Side side : Side.values()) {
                String env = "password-env: GB_IT_PASSWORD_" + side.id().toUpperCase(java.util.Locale.ROOT);
                yaml = yaml.replace(env, "password: '" + password(side).replace("'", "''") + "'");
            }
            Path out = config.resolveSibling("bridge-cli.yaml");
            Files.writeString(out, yaml);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment the config's secrets come from. */
    public Map<String, String> env() {
        return Map.of("GB_IT_PASSWORD_V1", password(Side.V1), "GB_IT_PASSWORD_V2", password(Side.V2));
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        java.util.Set<Engine> servers = java.util.EnumSet.noneOf(Engine.class);
        for (Side side : Side.values()) {
            String db = databases[side.ordinal()];
            if (db == null || (oneDatabase && side == Side.V2)) {
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
            if (binlogUser != null) {
                try (Connection c = engine.server().connect(null); Statement s = c.createStatement()) {
                    s.execute("DROP USER IF EXISTS '" + binlogUser + "'@'%'");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot drop the bridge user " + binlogUser + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
