package io.graybridge.bridge.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Side;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * The bridge's connection pool to one side. Database work is scoped to a callback
 * ({@link #inTransaction}, {@link #withHandle}); no handle is ever handed out.
 */
public final class SideDatabase implements AutoCloseable {
    private final SideConfig config;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private SideDatabase(SideConfig config, HikariDataSource pool, Dialect dialect) {
        this.config = config;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.dialect = dialect;
    }

    /** Opens a pool and checks that the database answers; fails naming the side and URL (never the password). */
    public static SideDatabase open(SideConfig config, String bridgeName) {
        Dialect dialect = Dialect.forUrl(config.jdbcUrl());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("graybridge-" + config.side().id());
        hc.setJdbcUrl(config.jdbcUrl());
        hc.setUsername(config.user());
        if (!config.password().isEmpty()) {
            hc.setPassword(config.password().reveal());
        }
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(1);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(1); // try once at start and report the server's own reason
        hc.addDataSourceProperty("ApplicationName", "graybridge-" + bridgeName + "-" + config.side().id());
        if (dialect.mysqlFamily()) {
            // the writer's locked read locks the gaps of missing keys only at REPEATABLE READ (InnoDB takes no gap locks
            // at READ COMMITTED), so not the server's default but this: ARCHITECTURE.md, "Conflicts"
            hc.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        }
        if (dialect == Dialect.POSTGRESQL) {
            // a JDBC batch of single-row INSERTs goes as multi-row INSERTs: fewer round trips and parses
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        } else if (dialect == Dialect.MARIADB) {
            // a JDBC batch goes as one bulk command (COM_STMT_BULK_EXECUTE): MariaDB Connector/J 3's
            // replacement for rewriteBatchedStatements
            hc.addDataSourceProperty("useBulkStmts", "true");
            // TIMESTAMP values in and out in UTC, whatever the server's or the JVM's zone: the writer binds and
            // reads instants as UTC date-times (apply/TargetValues)
            hc.setConnectionInitSql("SET time_zone = '+00:00'");
        } else if (dialect == Dialect.MYSQL) {
            // MySQL Connector/J, the driver Debezium's MySQL connector uses too (ARCHITECTURE.md, "Versions"); named,
            // so DriverManager never offers the URL to MariaDB Connector/J
            hc.setDriverClassName("com.mysql.cj.jdbc.Driver");
            // a JDBC batch of INSERTs goes as multi-row INSERTs, other statements as one multi-statement round trip
            hc.addDataSourceProperty("rewriteBatchedStatements", "true");
            // TIMESTAMP values in and out in UTC as on MariaDB: the driver sets time_zone = '+00:00' on the session
            // (an offset: no time zone tables needed) and converts instants at UTC
            hc.addDataSourceProperty("connectionTimeZone", "UTC");
            hc.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
            hc.addDataSourceProperty("preserveInstants", "true");
            // a zero date read back (reconciler, mappings check) is NULL, as MariaDB Connector/J reads it; capture
            // reports zero dates by checking the source row itself (capture/ZeroDates)
            hc.addDataSourceProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new GrayBridgeException(
                    ErrorCode.DATABASE_UNAVAILABLE,
                    "cannot connect to the " + config.describe() + " as user '" + config.user() + "': "
                            + String.valueOf(cause.getMessage()).replaceFirst("\\.\\s*$", "") + ". Check that the server runs, the URL and user are right, and the"
                            + " password variable or file is set.",
                    e);
        }
        return new SideDatabase(config, pool, dialect);
    }

    public Side side() {
        return config.side();
    }

    public SideConfig config() {
        return config;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String schema() {
        return config.schema();
    }

    /** The pool, for libraries that need a {@link DataSource} (Flyway). */
    public DataSource dataSource() {
        return pool;
    }

    public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(callback);
    }

    public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
        return jdbi.withHandle(callback);
    }

    /** Runs {@code work} in a transaction and returns nothing. */
    public void useTransaction(java.util.function.Consumer<Handle> work) {
        jdbi.useTransaction(work::accept);
    }

    @Override
    public void close() {
        pool.close();
    }
}
