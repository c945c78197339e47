package io.graybridge.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import io.graybridge.mapping.Side;

/**
 * The example shop of config/demo in a fresh database of the test PostgreSQL: schemas shop_v1 and
 * shop_v2 created from the repo's own SQL, and a bridge config file pointing at them with replication
 * slot names unique to this database.
 */
public final class ShopFixture implements SideSql, AutoCloseable {
    private final PgServer pg;
    private final String database;
    private final String v2Database;
    private final Path dir;

    private ShopFixture(PgServer pg, String database, String v2Database, Path dir) {
        this.pg = pg;
        this.database = database;
        this.v2Database = v2Database;
        this.dir = dir;
    }

    /** Creates one database holding both schemas. */
    public static ShopFixture create(String prefix) {
        return create(prefix, false);
    }

    /**
     * Creates the shop: both schemas in one database, or (with {@code twoDatabases}) shop_v1 in one
     * database and shop_v2 in another.
     */
    public static ShopFixture create(String prefix, boolean twoDatabases) {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase(prefix);
        String db2 = twoDatabases ? pg.createDatabase(prefix + "v2") : db;
        try {
            Path dir = Files.createTempDirectory("graybridge-it-" + prefix);
            ShopFixture f = new ShopFixture(pg, db, db2, dir);
            f.execute(Side.V1, Files.readString(RepoPaths.config().resolve("demo/v1.sql")));
            f.execute(Side.V2, Files.readString(RepoPaths.config().resolve("demo/v2.sql")));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database holding {@code side}'s schema. */
    public String database(Side side) {
        return side == Side.V1 ? database : v2Database;
    }

    public String jdbcUrl(Side side) {
        return pg.jdbcUrl(database(side));
    }

    @Override
    public Connection connect(Side side) throws SQLException {
        return pg.connect(database(side));
    }

    /**
     * Writes a config with both lanes enabled and the given conflict policy, and returns its path.
     *
     * @param extraLaneSettings YAML lines added under each lane (indented with 4 spaces)
     */
    public Path writeTwoWayConfig(String policy, String extraLaneSettings) {
        String yaml = "bridge:\n"
                + "  name: it-" + database.replace('_', '-') + "\n"
                + "sides:\n"
                + side("v1", "shop_v1", jdbcUrl(Side.V1))
                + side("v2", "shop_v2", jdbcUrl(Side.V2))
                + "mapping: " + RepoPaths.config().resolve("mappings/shop.yaml") + "\n"
                + "tables: [customers, orders]\n"
                + "conflicts:\n"
                + "  policy: " + policy + "\n"
                + "lanes:\n"
                + "  v1-to-v2:\n"
                + "    slot-name: " + database + "_v1\n"
                + "    poll-interval-ms: 20\n"
                + extraLaneSettings
                + "  v2-to-v1:\n"
                + "    enabled: true\n"
                + "    slot-name: " + database + "_v2\n"
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
                + side("v1", "shop_v1", jdbcUrl())
                + side("v2", "shop_v2", jdbcUrl(Side.V2))
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

    private String side(String side, String schema, String url) {
        return "  " + side + ":\n"
                + "    jdbc-url: " + url + "\n"
                + "    user: " + pg.user() + "\n"
                + (pg.password().isEmpty() ? "" : "    password-env: GB_IT_PASSWORD\n")
                + "    schema: " + schema + "\n";
    }

    /**
     * Waits until every replication slot of this shop streams to a running capture (its walsender started
     * replication, so the initial snapshot is done): a change committed before its lane's slot exists is
     * not captured (snapshot rows aside), and one committed during the snapshot is in the snapshot.
     */
    public void awaitSlotsActive(int slots) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            long active = 0;
            for (String db : new java.util.LinkedHashSet<>(java.util.List.of(database, v2Database))) {
                // active from creation on, while the snapshot runs: streaming once replication started
                active += count(Side.V1, "SELECT count(*) FROM pg_replication_slots s WHERE s.database = '" + db + "' AND "
                        + io.graybridge.bridge.db.ReplicationSlots.STREAMING);
            }
            if (active >= slots) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the lanes' " + slots + " replication slots did not become active in 90 s");
    }

    /** The environment the config's secrets come from. */
    public java.util.Map<String, String> env() {
        return java.util.Map.of("GB_IT_PASSWORD", pg.password());
    }

    public void execute(String sql) {
        execute(Side.V1, sql);
    }

    public long count(String sql) {
        return count(Side.V1, sql);
    }

    public Connection connect() throws SQLException {
        return connect(Side.V1);
    }

    @Override
    public void close() {
        pg.dropDatabase(database);
        if (!v2Database.equals(database)) {
            pg.dropDatabase(v2Database);
        }
    }
}
