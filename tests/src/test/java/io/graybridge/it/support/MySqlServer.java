package io.graybridge.it.support;

/**
 * A MySQL 8 server with a row-based binlog and GTIDs, found by {@link TestDatabases#mysql8()} (Docker only).
 * {@link #jdbcUrl(String)} is the {@code jdbc:mysql:} URL for MySQL's own driver; {@link #connect(String)}
 * goes through MariaDB Connector/J, the driver the tests have.
 */
public final class MySqlServer extends BinlogServer {

    MySqlServer(ServerKind kind, String host, int port, String user, String password, String description) {
        super(kind, host, port, user, password, description);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host() + ":" + port() + "/" + (database == null ? "" : database);
    }

    @Override
    protected String driverUrl(String database) {
        // MySQL 8's caching_sha2_password over a plain connection needs the server's RSA key
        return "jdbc:mariadb://" + host() + ":" + port() + "/" + (database == null ? "" : database)
                + "?allowPublicKeyRetrieval=true";
    }
}
