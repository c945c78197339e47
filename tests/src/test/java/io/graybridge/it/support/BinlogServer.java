package io.graybridge.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A MySQL-family server with a row-based binlog (MariaDB or MySQL), found by {@link TestDatabases}.
 * Connections go through MariaDB Connector/J (test dependency), which speaks to both.
 */
public abstract class BinlogServer {

    private final ServerKind kind;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String description;

    BinlogServer(ServerKind kind, String host, int port, String user, String password, String description) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password == null ? "" : password;
        this.description = description;
    }

    public ServerKind kind() {
        return kind;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** The password; empty (never null) when there is none. */
    public String password() {
        return password;
    }

    public String description() {
        return description;
    }

    /** JDBC URL of {@code database} ({@code null} or empty: no default database). */
    public abstract String jdbcUrl(String database);

    /** URL that MariaDB Connector/J accepts, used by {@link #connect(String)}. */
    protected abstract String driverUrl(String database);

    /** A new connection (autocommit on) to {@code database} ({@code null}: none); the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(driverUrl(database), props);
    }

    /** Creates a fresh database (schema) named {@code gbit_<prefix>_<random>} and returns its name. */
    public String createDatabase(String prefix) {
        String name = JdbcUrl.uniqueName(prefix);
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE `" + name + "`");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + description, e);
        }
        return name;
    }

    /** Kills the connections using database {@code name}, then drops it. Does nothing if it does not exist. */
    public void dropDatabase(String name) {
        JdbcUrl.checkName(name);
        try (Connection c = connect(null)) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                for (long id : ids) {
                    try {
                        st.execute("KILL " + id);
                    } catch (SQLException e) {
                        // already gone
                    }
                }
                st.execute("DROP DATABASE IF EXISTS `" + name + "`");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + " on " + description, e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
