package io.graybridge.bridge.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where a MariaDB or MySQL server is writing its binlog now: the file and the offset in it. The statement depends on
 * the engine and version: {@code SHOW MASTER STATUS} on MariaDB and on MySQL before 8.2; MySQL 8.2 added {@code SHOW
 * BINARY LOG STATUS} and 8.4 removed the old name. Needs {@code BINLOG MONITOR} on MariaDB, {@code REPLICATION
 * CLIENT} on MySQL.
 */
public final class BinlogStatus {
    private BinlogStatus() {}

    /** A binlog file and an offset in it. */
    public record Position(String file, long offset) {}

    /** The statement that shows the binlog position on {@code dialect} at server version {@code major.minor}. */
    public static String statement(Dialect dialect, int major, int minor) {
        if (dialect == Dialect.MYSQL && (major > 8 || (major == 8 && minor >= 2))) {
            return "SHOW BINARY LOG STATUS";
        }
        return "SHOW MASTER STATUS";
    }

    /** The statement for the server {@code c} talks to. */
    public static String statement(Connection c, Dialect dialect) throws SQLException {
        if (dialect != Dialect.MYSQL) {
            return statement(dialect, 0, 0);
        }
        DatabaseMetaData md = c.getMetaData();
        return statement(dialect, md.getDatabaseMajorVersion(), md.getDatabaseMinorVersion());
    }

    /** The binlog position now, empty when the server writes no binlog. */
    public static Optional<Position> current(Connection c, Dialect dialect) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(statement(c, dialect)); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Position(rs.getString(1), rs.getLong(2))) : Optional.empty();
        }
    }
}
