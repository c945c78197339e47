package io.graybridge.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The example shop of config/demo in a fresh database of the test PostgreSQL: schemas shop_v1 and
 * shop_v2 created from the repo's own SQL, and a bridge config file pointing at them with replication
 * slot names unique to this database.
 */
public final class ShopFixture implements AutoCloseable {
    private final PgServer pg;
    private final String database;
    private final Path dir;

    private ShopFixture(PgServer pg, String database, Path dir) {
        this.pg = pg;
        this.database = database;
        this.dir = dir;
    }

    /** Creates the database and both schemas. */
    public static ShopFixture create(String prefix) {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase(prefix);
        try {
            Path dir = Files.createTempDirectory("graybridge-it-" + prefix);
            ShopFixture f = new ShopFixture(pg, db, dir);
            f.execute(Files.readString(RepoPaths.config().resolve("demo/v1.sql")));
            f.execute(Files.readString(RepoPaths.config().resolve("demo/v2.sql")));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PgServer server() {
        return pg;
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return pg.jdbcUrl(database);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes a bridge config for this shop and returns its path.
     *
     * @param extraLaneSettings YAML lines added under {@code lanes.v1-to-v2} (indented by the caller with 4
     *     spaces), e.g. {@code "    batch-size: 50\n"}
     */
    public Path writeConfig(String extraLaneSettings) {
        String yaml = "bridge:\n"
                + "  name: it-" + database.replace('_', '-') + "\n"
                + "sides:\n"
                + side("v1", "shop_v1")
                + side("v2", "shop_v2")
                + "mapping: " + RepoPaths.config().resolve("mappings/shop.yaml") + "\n"
                + "tables: [customers, orders]\n"
                + "lanes:\n"
                + "  v1-to-v2:\n"
                + "    slot-name: " + database + "_v1\n"
                + "    publication-name: " + database + "_v1\n"
                + "    poll-interval-ms: 20\n"
                + extraLaneSettings;
        try {
            Path file = dir.resolve("bridge.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String side(String side, String schema) {
        return "  " + side + ":\n"
                + "    jdbc-url: " + jdbcUrl() + "\n"
                + "    user: " + pg.user() + "\n"
                + (pg.password().isEmpty() ? "" : "    password-env: GB_IT_PASSWORD\n")
                + "    schema: " + schema + "\n";
    }

    /** The environment the config's secrets come from. */
    public java.util.Map<String, String> env() {
        return java.util.Map.of("GB_IT_PASSWORD", pg.password());
    }

    public void execute(String sql) {
        try (Connection c = pg.connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + database + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql) {
        try (Connection c = pg.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed in " + database + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    public Connection connect() throws SQLException {
        return pg.connect(database);
    }

    @Override
    public void close() {
        pg.dropDatabase(database);
    }
}
