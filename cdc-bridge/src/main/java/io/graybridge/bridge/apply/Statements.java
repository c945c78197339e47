package io.graybridge.bridge.apply;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL text of the writer's statements on one target table, per engine. Inserts are plain INSERTs: the
 * writer inserts only keys its locked read found missing, so no upsert is needed (and MariaDB's {@code ON
 * DUPLICATE KEY UPDATE} would fire on any unique index, not only the primary key). Updates and deletes match
 * the primary key.
 */
final class Statements {
    private Statements() {}

    static String insert(Dialect d, TableInfo table, List<String> columns) {
        return "INSERT INTO " + d.qualified(table.schema(), table.name()) + " ("
                + columns.stream().map(d::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + columns.stream().map(c -> placeholder(d, table, c)).collect(Collectors.joining(", ")) + ")";
    }

    static String update(Dialect d, TableInfo table, List<String> setColumns) {
        return "UPDATE " + d.qualified(table.schema(), table.name()) + " SET "
                + setColumns.stream().map(c -> d.quote(c) + " = " + placeholder(d, table, c)).collect(Collectors.joining(", "))
                + " WHERE " + keyMatch(d, table);
    }

    static String delete(Dialect d, TableInfo table) {
        return "DELETE FROM " + d.qualified(table.schema(), table.name()) + " WHERE " + keyMatch(d, table);
    }

    /**
     * {@code SELECT * FROM t WHERE (k1, k2) IN ((?, ?), ...) FOR UPDATE} for {@code keys} keys, optionally
     * with the commit time of each row's version as the last column {@value #COMMIT_TIME_COLUMN}.
     */
    static String lockRows(Dialect d, TableInfo table, int keys, boolean commitTimes) {
        if (commitTimes && d != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException(d.displayName() + " keeps no commit time of a row version");
        }
        if (d.mysqlFamily() && table.primaryKey().size() == 1) {
            // k IN (?, ...): a range read of the primary key; InnoDB also locks the gaps of missing keys,
            // so no other transaction can insert one of them before this batch commits
            return "SELECT * FROM " + d.qualified(table.schema(), table.name()) + " WHERE "
                    + d.quote(table.primaryKey().get(0)) + " IN ("
                    + String.join(", ", java.util.Collections.nCopies(keys, "?")) + ") FOR UPDATE";
        }
        String keyList = table.primaryKey().stream().map(d::quote).collect(Collectors.joining(", "));
        String one = "(" + table.primaryKey().stream().map(c -> placeholder(d, table, c)).collect(Collectors.joining(", "))
                + ")";
        return "SELECT *" + (commitTimes ? ", pg_xact_commit_timestamp(xmin) AS " + COMMIT_TIME_COLUMN : "")
                + " FROM " + d.qualified(table.schema(), table.name()) + " WHERE (" + keyList + ") IN ("
                + String.join(", ", java.util.Collections.nCopies(keys, one)) + ") FOR UPDATE";
    }

    /** The extra column {@link #lockRows} reads the version's commit time into. */
    static final String COMMIT_TIME_COLUMN = "graybridge_version_commit";

    private static String keyMatch(Dialect d, TableInfo table) {
        return table.primaryKey().stream()
                .map(c -> d.quote(c) + " = " + placeholder(d, table, c))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * {@code ?}, cast on PostgreSQL to a column type a bound string cannot reach by itself (json, uuid, enums,
     * bit strings); on MariaDB a BIT column's digits converted to a number.
     */
    private static String placeholder(Dialect d, TableInfo table, String column) {
        if (d != Dialect.POSTGRESQL) {
            // MariaDB converts a bound value to the column's type itself, but for a BIT column it would take a
            // string's bytes: the writer binds bits as 0/1 digits (TargetValues), made a number here
            boolean bits = table.column(column).map(c -> c.type().toLowerCase(java.util.Locale.ROOT).startsWith("bit"))
                    .orElse(false);
            return bits ? "CONV(?, 2, 10) + 0" : "?";
        }
        return table.column(column)
                .filter(ColumnInfo::needsCast)
                .map(c -> "CAST(? AS " + c.type() + ")")
                .orElse("?");
    }
}
