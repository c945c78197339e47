package io.graybridge.it.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One-line JDBC for the suites' traffic generators. */
public final class Sql {
    private Sql() {}

    /** Runs {@code sql} with {@code args} bound in order; returns the update count. */
    public static long exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
