package io.graybridge.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL server with {@code wal_level=logical}, found by {@link TestDatabases#postgres()}.
 * Each test class should work in its own database: {@link #createDatabase(String)} in {@code @BeforeAll},
 * {@link #dropDatabase(String)} in {@code @AfterAll} (which also drops the database's replication slots).
 * Name test replication slots {@code gbit_...} so that {@link #cleanupStaleSlots()} can reclaim them after
 * a killed run.
 */
public final class PgServer {

    private static final Duration SLOT_DROP_TIMEOUT = Duration.ofSeconds(30);

    private final ServerKind kind;
    private final JdbcUrl base;
    private final String user;
    private final String password;
    private final String description;

    PgServer(ServerKind kind, String baseJdbcUrl, String user, String password, String description) {
        this.kind = kind;
        this.base = JdbcUrl.parse(baseJdbcUrl);
        this.user = user;
        this.password = password == null ? "" : password;
        this.description = description;
    }

    public ServerKind kind() {
        return kind;
    }

    /** JDBC URL of {@code database} on this server (keeps any parameters of the configured URL). */
    public String jdbcUrl(String database) {
        return base.withDatabase(database);
    }

    /** The database the server was configured with (usually {@code postgres}); used for admin statements. */
    public String adminDatabase() {
        return base.database.isEmpty() ? "postgres" : base.database;
    }

    public String host() {
        return base.host();
    }

    public int port() {
        return base.port(5432);
    }

    public String user() {
        return user;
    }

    /** The password; empty (never null) for trust authentication. */
    public String password() {
        return password;
    }

    /** One line saying what this server is and where it came from. */
    public String description() {
        return description;
    }

    /** A new connection (autocommit on) to {@code database}; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "graybridge-tests");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * Creates a fresh database named {@code gbit_<prefix>_<random>} and returns its name. An idle connection to it
     * is held until {@link #dropDatabase}: it tells {@link #cleanupStaleSlots()} of another test run on the same
     * server that the database is in use, so that run does not drop this one's slots while no bridge holds them
     * (between two bridge runs of a test).
     */
    public String createDatabase(String prefix) {
        String name = JdbcUrl.uniqueName(prefix);
        try (Connection c = connect(adminDatabase()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + description, e);
        }
        try {
            LEASES.put(name, connect(name));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to new database " + name + " on " + description, e);
        }
        return name;
    }

    /**
     * Closes the connection that marks {@code name} as in use, as a killed test run would have left it: its
     * inactive slots are then fair game for {@link #cleanupStaleSlots()}. For the test of that cleanup.
     */
    public void releaseLease(String name) {
        Connection lease = LEASES.remove(name);
        if (lease != null) {
            try {
                lease.close();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot close the lease on " + name, e);
            }
        }
    }

    /** Open connections that mark this run's databases as in use, by database name. */
    private static final java.util.Map<String, Connection> LEASES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Drops database {@code name}: first its replication slots (terminating the backends that hold them),
     * then its connections, then the database. Does nothing if it does not exist.
     */
    public void dropDatabase(String name) {
        JdbcUrl.checkName(name);
        releaseLease(name);
        try (Connection c = connect(adminDatabase())) {
            dropSlots(c, "database = ?", name, true);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, name);
                ps.executeQuery().close();
            }
            boolean force = c.getMetaData().getDatabaseMajorVersion() >= 13;
            try (Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS \"" + name + "\"" + (force ? " WITH (FORCE)" : ""));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + " on " + description, e);
        }
    }

    /**
     * Drops the inactive replication slots named {@code gbit_*} of databases nobody is connected to:
     * leftovers of killed test runs, which would otherwise retain WAL forever. A slot of a database in use
     * stays, since another test run on the same server may be between two bridge runs (its slot inactive
     * for a moment); dropping it would make that run lose changes. Returns the names of the slots dropped.
     */
    public List<String> cleanupStaleSlots() {
        try (Connection c = connect(adminDatabase())) {
            String pattern = TestDatabases.NAME_PREFIX.replace("_", "\\_") + "%";
            return dropSlots(c, "slot_name LIKE ? AND NOT active AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
                    + " WHERE a.datname = pg_replication_slots.database)", pattern, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean up stale replication slots on " + description, e);
        }
    }

    /** Names of the replication slots of {@code database}. */
    public List<String> replicationSlots(String database) {
        try (Connection c = connect(adminDatabase())) {
            return new ArrayList<>(slots(c, "database = ?", database).keySet());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list replication slots on " + description, e);
        }
    }

    /** Whether database {@code name} exists. */
    public boolean databaseExists(String name) {
        try (Connection c = connect(adminDatabase());
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query pg_database on " + description, e);
        }
    }

    /** slot name -> active_pid (null when inactive) for slots matching {@code where} (one ? parameter). */
    private static Map<String, Integer> slots(Connection c, String where, String param) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        String sql = "SELECT slot_name, active_pid FROM pg_replication_slots WHERE " + where + " ORDER BY slot_name";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    int pid = rs.getInt(2);
                    out.put(name, rs.wasNull() ? null : pid);
                }
            }
        }
        return out;
    }

    /**
     * Drops the slots matching {@code where}. With {@code terminateActive}, terminates the backends holding
     * active ones and retries until they are gone (or the timeout passes); without, skips slots that are in use.
     */
    private List<String> dropSlots(Connection c, String where, String param, boolean terminateActive)
            throws SQLException {
        List<String> dropped = new ArrayList<>();
        long deadline = System.nanoTime() + SLOT_DROP_TIMEOUT.toNanos();
        while (true) {
            Map<String, Integer> found = slots(c, where, param);
            List<String> busy = new ArrayList<>();
            for (Map.Entry<String, Integer> slot : found.entrySet()) {
                if (slot.getValue() != null) {
                    if (!terminateActive) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        ps.setInt(1, slot.getValue());
                        ps.executeQuery().close();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                    ps.setString(1, slot.getKey());
                    ps.executeQuery().close();
                    dropped.add(slot.getKey());
                } catch (SQLException e) {
                    if ("42704".equals(e.getSQLState())) {        // undefined_object: gone meanwhile
                        continue;
                    }
                    if ("55006".equals(e.getSQLState())) {        // object_in_use: backend not gone yet
                        busy.add(slot.getKey());
                        continue;
                    }
                    throw e;
                }
            }
            if (busy.isEmpty() || !terminateActive) {
                return dropped;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replication slots still in use after " + SLOT_DROP_TIMEOUT.toSeconds()
                        + "s of pg_terminate_backend: " + busy + " on " + description);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dropping replication slots", e);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
