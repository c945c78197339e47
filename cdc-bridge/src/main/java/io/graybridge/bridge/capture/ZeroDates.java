package io.graybridge.bridge.capture;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses MariaDB zero dates ({@code 0000-00-00}, or a zero month or day such as {@code 2024-00-10}), which have no
 * value in Java nor PostgreSQL. Debezium reads them as NULL (binlog and snapshot alike), as the epoch in a NOT NULL
 * column (its fallback) or from a TIMESTAMP's binlog value (0 seconds): the event alone cannot tell them from a real
 * NULL or epoch. So for a captured row whose DATE / DATETIME / TIMESTAMP column arrives NULL or as the epoch
 * (1970-01-01 00:00:00 UTC), this reads that
 * column of the row on the source by primary key; if it holds a zero date now, the change is a
 * {@link MappingException} naming the table, key, column and the fix, which the lane keeps as a dead letter.
 *
 * <p>A zero date that a later change already replaced is not seen: that later change carries the row's value, so
 * the target ends with it. The cost is one primary-key read on the source per captured row with a NULL or epoch
 * temporal value; rows without one cost nothing.
 */
public final class ZeroDates {
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    private final SideDatabase source;
    private final Map<String, TableInfo> tables;

    /**
     * @param source the lane's source side (checks run only when it is MariaDB)
     * @param tables its tables by name
     */
    public ZeroDates(SideDatabase source, Map<String, TableInfo> tables) {
        this.source = source;
        this.tables = tables;
    }

    /** Throws a {@link MappingException} when {@code change}'s row holds a zero date on the source. */
    public void check(SourceChange change) {
        if (!source.dialect().mysqlFamily() || change.after() == null) {
            return;
        }
        TableInfo table = tables.get(change.table());
        if (table == null || table.primaryKey().isEmpty()) {
            return;
        }
        List<ColumnInfo> suspects = suspects(table, change.after());
        if (suspects.isEmpty()) {
            return;
        }
        List<String> zero;
        try {
            zero = source.withHandle(h -> zeroColumns(h.getConnection(), table, change.after(), suspects));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table.qualifiedName() + " on the source to tell a NULL from a"
                    + " zero date: " + e.getMessage(), e);
        }
        if (!zero.isEmpty()) {
            StringBuilder key = new StringBuilder();
            StringBuilder where = new StringBuilder();
            for (String k : table.primaryKey()) {
                Object v = change.after().get(k);
                key.append(key.length() == 0 ? "" : ", ").append(k).append('=').append(v);
                where.append(where.length() == 0 ? "" : " AND ").append(Dialect.MARIADB.quote(k)).append(" = ")
                        .append(v instanceof Number ? v.toString() : "'" + String.valueOf(v).replace("'", "''") + "'");
            }
            throw new MappingException(source.dialect().displayName() + " zero date in " + table.qualifiedName() + " (" + key + ") column"
                    + (zero.size() > 1 ? "s " : " ") + String.join(", ", zero) + ": a zero date (0000-00-00, or a zero"
                    + " month or day) has no value in PostgreSQL nor Java, and Debezium reads it as NULL, so it is not"
                    + " copied; set a real date or NULL in the row on the source (e.g. UPDATE " + table.qualifiedName()
                    + " SET " + Dialect.MARIADB.quote(zero.get(0)) + " = NULL WHERE " + where + "), and keep"
                    + " NO_ZERO_DATE,NO_ZERO_IN_DATE in the sql_mode of the application's sessions");
        }
    }

    /** The temporal columns of {@code row} whose value may stand for a zero date. */
    static List<ColumnInfo> suspects(TableInfo table, Row row) {
        List<ColumnInfo> out = new ArrayList<>();
        for (ColumnInfo c : table.columns()) {
            String t = c.type().toLowerCase(Locale.ROOT);
            if (!(t.startsWith("date") || t.startsWith("timestamp")) || !row.has(c.name())) {
                continue;
            }
            Object v = row.get(c.name());
            if (v == null || isEpoch(v)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean isEpoch(Object v) {
        return v.equals(LocalDate.EPOCH) || v.equals(EPOCH)
                || (v instanceof OffsetDateTime t && t.toInstant().equals(EPOCH.toInstant(ZoneOffset.UTC)));
    }

    private static List<String> zeroColumns(Connection c, TableInfo table, Row row, List<ColumnInfo> suspects)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < suspects.size(); i++) {
            String q = Dialect.MARIADB.quote(suspects.get(i).name());
            sql.append(i > 0 ? ", " : "").append("(MONTH(").append(q).append(") = 0 OR DAYOFMONTH(").append(q)
                    .append(") = 0)");
        }
        sql.append(" FROM ").append(Dialect.MARIADB.qualified(table.schema(), table.name())).append(" WHERE ");
        List<String> key = table.primaryKey();
        for (int i = 0; i < key.size(); i++) {
            sql.append(i > 0 ? " AND " : "").append(Dialect.MARIADB.quote(key.get(i))).append(" = ?");
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < key.size(); i++) {
                ps.setObject(i + 1, row.get(key.get(i)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (int i = 0; i < suspects.size(); i++) {
                        if (rs.getBoolean(i + 1)) {
                            out.add(suspects.get(i).name());
                        }
                    }
                }
            }
        }
        return out;
    }
}
