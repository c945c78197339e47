package io.graybridge.it.support;

import io.graybridge.mapping.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain SQL on one side of a test shop, whatever its engine: a fixture gives the connection, this the rest. */
public interface SideSql {
    Connection connect(Side side) throws SQLException;

    default void execute(Side side, String sql) {
        try (Connection c = connect(side); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + side + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql} (a count). */
    default long count(Side side, String sql) {
        try (Connection c = connect(side); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + side + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The rows {@code sql} returns on {@code side}, each as its columns' text joined by {@code |}. */
    default List<String> rows(Side side, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(side); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on " + side + ": " + sql + ": " + e.getMessage(), e);
        }
        return out;
    }
}
