package io.graybridge.it.support;

/** A MariaDB server with {@code binlog_format=ROW}, found by {@link TestDatabases#mariadb()}. */
public final class MariaDbServer extends BinlogServer {

    private final JdbcUrl base;

    MariaDbServer(ServerKind kind, String baseJdbcUrl, String user, String password, String description) {
        this(kind, JdbcUrl.parse(baseJdbcUrl), user, password, description);
    }

    private MariaDbServer(ServerKind kind, JdbcUrl base, String user, String password, String description) {
        super(kind, base.host(), base.port(3306), user, password, description);
        this.base = base;
    }

    /** {@code jdbc:mariadb://host:port/<database>} (keeps any parameters of the configured URL). */
    @Override
    public String jdbcUrl(String database) {
        return base.withDatabase(database);
    }

    @Override
    protected String driverUrl(String database) {
        return jdbcUrl(database);
    }
}
