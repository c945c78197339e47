package io.graybridge.bridge.apply;

import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import io.graybridge.reconcile.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The target's current rows for the keys of a batch, read with {@code FOR UPDATE} inside the batch's
 * transaction, so the target's application cannot change them between the comparison and the write.
 * Updated in memory as the batch's decisions are made, so later changes of the same key in the batch
 * see the earlier ones.
 */
final class CurrentRows {
    private static final int KEYS_PER_QUERY = 500;

    private final Map<String, Map<Row, Row>> rows = new HashMap<>();
    private final Map<String, Map<Row, Instant>> commits = new HashMap<>();

    private CurrentRows() {}

    static CurrentRows lock(
            Connection c, Dialect dialect, Map<String, TableInfo> tables, List<TargetChange> changes, boolean commitTimes)
            throws SQLException {
        Map<String, Set<Row>> keys = new LinkedHashMap<>();
        for (TargetChange change : changes) {
            keys.computeIfAbsent(change.table(), t -> new LinkedHashSet<>()).add(change.key());
        }
        CurrentRows out = new CurrentRows();
        for (Map.Entry<String, Set<Row>> e : keys.entrySet()) {
            TableInfo table = tables.get(e.getKey());
            Map<Row, Row> found = out.rows.computeIfAbsent(e.getKey(), t -> new HashMap<>());
            Map<Row, Instant> times = out.commits.computeIfAbsent(e.getKey(), t -> new HashMap<>());
            List<Row> all = new ArrayList<>(e.getValue());
            for (int from = 0; from < all.size(); from += KEYS_PER_QUERY) {
                List<Row> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_QUERY));
                try (PreparedStatement ps = c.prepareStatement(Statements.lockRows(dialect, table, chunk.size(), commitTimes))) {
                    int index = 1;
                    for (Row key : chunk) {
                        for (String k : table.primaryKey()) {
                            TargetWriter.bind(ps, index++, key.get(k));
                        }
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, Object> values = new LinkedHashMap<>();
                            Instant commit = null;
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                String name = md.getColumnName(i);
                                if (commitTimes && i == md.getColumnCount() && Statements.COMMIT_TIME_COLUMN.equals(name)) {
                                    Timestamp ts = rs.getTimestamp(i);
                                    commit = ts == null ? null : ts.toInstant();
                                } else {
                                    Object value = JdbcValues.read(rs, i);
                                    java.util.Optional<io.graybridge.bridge.db.ColumnInfo> column = table.column(name);
                                    // in the form incoming values take for this column, so equal values compare equal
                                    values.put(name, column.isPresent()
                                            ? TargetValues.fromTarget(dialect, column.get(), value) : value);
                                }
                            }
                            Row row = Row.of(values);
                            Map<String, Object> key = new LinkedHashMap<>();
                            table.primaryKey().forEach(k -> key.put(k, row.get(k)));
                            found.put(Row.of(key), row);
                            if (commit != null) {
                                times.put(Row.of(key), commit);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The current row of {@code key}, or {@code null} when it is missing. */
    Row row(String table, Row key) {
        return rows.getOrDefault(table, Map.of()).get(key);
    }

    /** When the current version of {@code key} committed, or {@code null} when unknown or written in this batch. */
    Instant commitTime(String table, Row key) {
        return commits.getOrDefault(table, Map.of()).get(key);
    }

    /** Records the row as this batch leaves it ({@code null}: deleted). */
    void put(String table, Row key, Row row) {
        Row before = row(table, key);
        if (row == null) {
            rows.computeIfAbsent(table, t -> new HashMap<>()).remove(key);
        } else {
            rows.computeIfAbsent(table, t -> new HashMap<>()).put(key, row);
        }
        if (before != row) {
            commits.computeIfAbsent(table, t -> new HashMap<>()).remove(key);
        }
    }
}
