package io.graybridge.bridge.apply;

import io.graybridge.bridge.capture.OffsetEntry;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies translated changes to one target side in batched transactions. Each call to {@link #apply}
 * is one target transaction holding the changed rows, the lane's source offsets and its progress
 * counters, so a crash at any point leaves the target either before or after the whole batch.
 *
 * <p>Consecutive changes with the same statement shape go to the database as one JDBC batch; the
 * order of changes, and so the order per key, is kept.
 */
public final class TargetWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TargetWriter.class);
    private static final int MAX_ATTEMPTS = 8;

    private final SideDatabase target;
    private final String metadataSchema;
    private final String bridge;
    private final String lane;
    private final Map<String, TableInfo> tables;
    private final Map<String, String> sqlCache = new HashMap<>();
    private long batches;

    /**
     * @param target the side written to
     * @param metadataSchema the bridge's metadata schema on that side
     * @param bridge the bridge name
     * @param lane the lane name ({@code v1-to-v2})
     * @param tables the target tables by name, as read from the target's catalog
     */
    public TargetWriter(
            SideDatabase target, String metadataSchema, String bridge, String lane, Map<String, TableInfo> tables) {
        this.target = target;
        this.metadataSchema = metadataSchema;
        this.bridge = bridge;
        this.lane = lane;
        this.tables = Map.copyOf(tables);
    }

    /** The lane's offsets as stored in the target, keyed the way Debezium's offset store keys them. */
    public Map<ByteBuffer, ByteBuffer> storedOffsets() {
        return target.withHandle(h -> {
            Map<ByteBuffer, ByteBuffer> out = new HashMap<>();
            h.createQuery("SELECT offset_key, offset_value FROM " + meta("lane_offset")
                            + " WHERE bridge = :b AND lane = :l")
                    .bind("b", bridge)
                    .bind("l", lane)
                    .map((rs, ctx) -> {
                        byte[] value = rs.getBytes(2);
                        out.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
                        return null;
                    })
                    .list();
            return out;
        });
    }

    /**
     * Applies {@code changes} and stores {@code offsets} and {@code progress} in one transaction,
     * retrying transient failures (lost connection, deadlock, serialization) with backoff.
     *
     * @param offsets the positions reached, or empty for a chunk of an unfinished source transaction
     * @param progress what to add to the lane's counters, or {@code null} to leave them as they are
     *
     * @throws ApplyException naming the table and keys when the batch cannot be applied
     */
    public void apply(List<TargetChange> changes, List<OffsetEntry> offsets, Progress progress)
            throws InterruptedException {
        long batchNumber = ++batches;
        for (int attempt = 1; ; attempt++) {
            try {
                target.useTransaction(h -> {
                    try {
                        Connection c = h.getConnection();
                        write(c, changes);
                        CrashPoints.reached("inside-batch", batchNumber);
                        storeOffsets(c, offsets);
                        if (progress != null) {
                            storeProgress(c, progress);
                        }
                    } catch (SQLException e) {
                        throw new SqlFailure(e);
                    }
                });
                CrashPoints.reached("after-commit", batchNumber);
                return;
            } catch (SqlFailure | org.jdbi.v3.core.ConnectionException e) {
                SQLException sql = e instanceof SqlFailure f ? f.sql : findSql(e);
                if (attempt >= MAX_ATTEMPTS || !Retry.isTransient(sql)) {
                    throw new ApplyException(describeFailure(changes, sql), e);
                }
                long pause = Retry.backoffMillis(attempt);
                LOG.warn("lane {}: batch of {} changes failed ({}), retry {} of {} in {} ms",
                        lane, changes.size(), sql == null ? e.getMessage() : sql.getMessage(),
                        attempt, MAX_ATTEMPTS - 1, pause);
                Thread.sleep(pause);
            }
        }
    }

    private void write(Connection c, List<TargetChange> changes) throws SQLException {
        int i = 0;
        while (i < changes.size()) {
            String sql = sql(changes.get(i));
            int j = i;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                while (j < changes.size() && sql(changes.get(j)).equals(sql)) {
                    bindRow(ps, changes.get(j));
                    ps.addBatch();
                    j++;
                }
                ps.executeBatch();
            }
            i = j;
        }
    }

    private String sql(TargetChange change) {
        TableInfo table = table(change.table());
        String shape = change.kind() + "|" + change.table() + "|" + String.join(",", change.row().columns()) + "|"
                + String.join(",", change.updateColumns());
        return sqlCache.computeIfAbsent(shape, k -> change.kind() == TargetChange.Kind.DELETE
                ? Statements.delete(target.dialect(), table)
                : Statements.upsert(
                        target.dialect(), table, List.copyOf(change.row().columns()), change.updateColumns()));
    }

    private void bindRow(PreparedStatement ps, TargetChange change) throws SQLException {
        int index = 1;
        if (change.kind() == TargetChange.Kind.DELETE) {
            for (String key : table(change.table()).primaryKey()) {
                bind(ps, index++, change.row().get(key));
            }
            return;
        }
        for (Object value : change.row().asMap().values()) {
            bind(ps, index++, value);
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (value instanceof BigInteger big) {
            ps.setBigDecimal(index, new BigDecimal(big));
        } else if (value instanceof Instant instant) {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof List<?> list) {
            ps.setObject(index, list.toArray());
        } else {
            ps.setObject(index, value);
        }
    }

    private void storeOffsets(Connection c, List<OffsetEntry> offsets) throws SQLException {
        if (offsets.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + meta("lane_offset")
                + " (bridge, lane, offset_key, offset_value, updated_at) VALUES (?, ?, ?, ?, now())"
                + " ON CONFLICT (bridge, lane, offset_key)"
                + " DO UPDATE SET offset_value = EXCLUDED.offset_value, updated_at = now()")) {
            for (OffsetEntry o : offsets) {
                ps.setString(1, bridge);
                ps.setString(2, lane);
                ps.setBytes(3, o.key());
                ps.setBytes(4, o.value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void storeProgress(Connection c, Progress p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + meta("lane_progress")
                + " AS lp (bridge, lane, snapshot_rows, changes_applied, batches_applied, last_source_position,"
                + " last_source_commit, last_applied_at) VALUES (?, ?, ?, ?, 1, ?, ?, now())"
                + " ON CONFLICT (bridge, lane) DO UPDATE SET"
                + " snapshot_rows = lp.snapshot_rows + EXCLUDED.snapshot_rows,"
                + " changes_applied = lp.changes_applied + EXCLUDED.changes_applied,"
                + " batches_applied = lp.batches_applied + 1,"
                + " last_source_position = COALESCE(EXCLUDED.last_source_position, lp.last_source_position),"
                + " last_source_commit = COALESCE(EXCLUDED.last_source_commit, lp.last_source_commit),"
                + " last_applied_at = now()")) {
            ps.setString(1, bridge);
            ps.setString(2, lane);
            ps.setLong(3, p.snapshotRows());
            ps.setLong(4, p.changes());
            ps.setString(5, p.lastPosition());
            ps.setTimestamp(6, p.lastCommit() == null ? null : Timestamp.from(p.lastCommit()));
            ps.executeUpdate();
        }
    }

    private TableInfo table(String name) {
        TableInfo t = tables.get(name);
        if (t == null) {
            throw new IllegalStateException("target table " + name + " was not inspected at start");
        }
        return t;
    }

    private String meta(String table) {
        return target.dialect().qualified(metadataSchema, table);
    }

    private String describeFailure(List<TargetChange> changes, SQLException e) {
        Map<String, List<String>> keysByTable = new HashMap<>();
        for (TargetChange ch : changes) {
            List<String> keys = keysByTable.computeIfAbsent(ch.table(), t -> new ArrayList<>());
            if (keys.size() < 5) {
                keys.add(table(ch.table()).primaryKey().stream()
                        .map(k -> k + "=" + Values.render(ch.row().get(k)))
                        .collect(Collectors.joining(",")));
            }
        }
        SQLException root = e == null ? null : (e.getNextException() != null ? e.getNextException() : e);
        return "lane " + lane + ": cannot apply a batch of " + changes.size() + " changes to the "
                + target.config().describe() + " (tables and first keys: " + keysByTable + "): "
                + (root == null ? "unknown error" : root.getMessage() + " [SQLState " + root.getSQLState() + "]")
                + ". The batch was rolled back and the lane stopped at its last committed position;"
                + " fix the cause and start the bridge again.";
    }

    private static SQLException findSql(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** What a batch adds to the lane's progress counters. */
    public record Progress(long snapshotRows, long changes, String lastPosition, Instant lastCommit) {}

    /** Carries a checked {@link SQLException} out of the transaction callback. */
    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SQLException sql;

        SqlFailure(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }
}
