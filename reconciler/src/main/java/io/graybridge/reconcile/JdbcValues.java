package io.graybridge.reconcile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/** Reads a JDBC column into the canonical Java value {@link io.graybridge.mapping.Row} uses (shared by the reconciler and the writer). */
public final class JdbcValues {
    private JdbcValues() {}

    public static Object read(ResultSet rs, int index) throws SQLException {
        String type = rs.getMetaData().getColumnTypeName(index).toLowerCase(Locale.ROOT);
        Object value;
        switch (type) {
            case "timestamp":
            case "datetime": // MariaDB: a local date-time, like PostgreSQL's timestamp
                value = rs.getObject(index, LocalDateTime.class);
                break;
            case "timestamptz":
                value = rs.getObject(index, OffsetDateTime.class);
                break;
            case "date":
                value = rs.getObject(index, LocalDate.class);
                break;
            case "time":
                value = rs.getObject(index, LocalTime.class);
                break;
            case "bytea":
                value = rs.getBytes(index);
                break;
            default:
                value = rs.getObject(index);
        }
        if (value == null || rs.wasNull()) {
            return null;
        }
        if (value.getClass().getName().equals("org.postgresql.util.PGobject")) {
            return value.toString();
        }
        return value;
    }
}
