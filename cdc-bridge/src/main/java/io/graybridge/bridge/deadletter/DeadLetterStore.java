package io.graybridge.bridge.deadletter;

import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.mapping.Direction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code dead_letter} table of one lane, on the lane's target side. Dead letters are written inside
 * the writer's transaction ({@link #insert}), so they commit with the lane's offsets: none is lost, none
 * is recorded twice.
 */
public final class DeadLetterStore {
    private final SideDatabase target;
    private final String table;
    private final String bridge;
    private final Direction direction;

    public DeadLetterStore(SideDatabase target, String metadataSchema, String bridge, Direction direction) {
        this.target = target;
        this.table = target.dialect().qualified(metadataSchema, "dead_letter");
        this.bridge = bridge;
        this.direction = direction;
    }

    /** Records {@code letters} in the caller's transaction on the target. */
    public void insert(Connection c, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (bridge, lane, source_table, row_key, op, reason, policy, error, source_position, source_tx,"
                + " source_commit, before_row, after_row, seen_position, stamp_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (DeadLetter d : letters) {
                SourceChange ch = d.change();
                ps.setString(1, bridge);
                ps.setString(2, direction.laneName());
                ps.setString(3, ch.table());
                ps.setString(4, d.key());
                ps.setString(5, ch.op().name());
                ps.setString(6, d.reason().name().toLowerCase(Locale.ROOT));
                ps.setString(7, d.policy().id());
                ps.setString(8, d.error());
                ps.setString(9, ch.position());
                ps.setString(10, ch.txId());
                ps.setTimestamp(11, ch.commitTime() == null ? null : Timestamp.from(ch.commitTime()));
                ps.setString(12, RowCodec.encode(ch.before()));
                ps.setString(13, RowCodec.encode(ch.after()));
                if (ch.knowsSeen()) {
                    ps.setLong(14, ch.seen());
                } else {
                    ps.setNull(14, java.sql.Types.BIGINT);
                }
                if (ch.stamp() != null) {
                    ps.setLong(15, ch.stamp().toEpochMilli()); // two-way latest-wins: the retry decides by it (V11)
                } else {
                    ps.setNull(15, java.sql.Types.BIGINT);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Marks {@code ids} as retried, in the caller's transaction (the one that applied them). */
    public void markRetried(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET status = 'retried', retried_at = now(), attempts = attempts + 1 WHERE id = ?")) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records that retrying {@code id} failed again, with the new error. */
    public void recordFailedRetry(long id, String error) {
        target.useTransaction(h -> h.createUpdate("UPDATE " + table
                        + " SET attempts = attempts + 1, error = :e WHERE id = :id")
                .bind("e", error)
                .bind("id", id)
                .execute());
    }

    /** The paused tables of this lane (those with an open dead letter under the pause policy), with the error that paused each. */
    public Map<String, String> pausedTables() {
        Map<String, String> out = new LinkedHashMap<>();
        target.useTransaction(h -> h.createQuery("SELECT source_table, error FROM " + table
                        + " WHERE bridge = :b AND lane = :l AND status = 'open' AND policy = 'pause' ORDER BY id")
                .bind("b", bridge)
                .bind("l", direction.laneName())
                .map((rs, ctx) -> out.putIfAbsent(rs.getString(1), rs.getString(2)))
                .list());
        return out;
    }

    /** This lane's open dead letters, of {@code sourceTable} or of every table when {@code null}, in source order. */
    public List<DeadLetter> open(String sourceTable) {
        return target.withHandle(h -> h.createQuery("SELECT * FROM " + table
                        + " WHERE bridge = :b AND lane = :l AND status = 'open'"
                        + (sourceTable == null ? "" : " AND source_table = :t") + " ORDER BY id")
                .bind("b", bridge)
                .bind("l", direction.laneName())
                .bind("t", sourceTable)
                .map((rs, ctx) -> read(rs))
                .list());
    }

    /**
     * A stored dead letter. Its change carries the seen position capture gave it only under the pause policy: then the
     * table's later changes were held behind it, so a retry is decided as the change would have been when captured
     * ({@link io.graybridge.bridge.apply.RowDecision#decideKnowing} under a fixed policy; under two-way latest-wins with
     * the stamp capture gave it, {@code stamp_ms}, V11: {@link io.graybridge.bridge.apply.RowDecision#decideByStamps}). A
     * skipped change's key may have moved on since, so its retry keeps the before-image rules.
     */
    private DeadLetter read(ResultSet rs) throws SQLException {
        Timestamp commit = rs.getTimestamp("source_commit");
        DeadLetterPolicy.Action policy = DeadLetterPolicy.Action.valueOf(rs.getString("policy").toUpperCase(Locale.ROOT));
        long seen = rs.getLong("seen_position");
        if (rs.wasNull() || policy != DeadLetterPolicy.Action.PAUSE) {
            seen = io.graybridge.bridge.capture.SourcePositions.UNKNOWN;
        }
        long stampMs = rs.getLong("stamp_ms");
        java.time.Instant stamp = rs.wasNull() || policy != DeadLetterPolicy.Action.PAUSE ? null
                : java.time.Instant.ofEpochMilli(stampMs);
        SourceChange change = new SourceChange(direction.source(), rs.getString("source_table"),
                SourceChange.Op.valueOf(rs.getString("op")), RowCodec.decode(rs.getString("before_row")),
                RowCodec.decode(rs.getString("after_row")), rs.getString("source_position"), rs.getString("source_tx"),
                commit == null ? null : commit.toInstant(), io.graybridge.bridge.capture.SourcePositions.NONE, seen,
                stamp);
        return new DeadLetter(rs.getLong("id"), rs.getString("lane"), change, rs.getString("row_key"),
                DeadLetter.Reason.valueOf(rs.getString("reason").toUpperCase(Locale.ROOT)), policy, rs.getString("error"),
                rs.getInt("attempts"), rs.getTimestamp("recorded_at").toInstant());
    }

    /** Dead-letter counts of one lane and table, for {@code status}. */
    public record Count(String lane, String table, long open, long failed, long held, long retried, boolean paused) {}

    /**
     * Counts of every lane and table of {@code bridge} on {@code db} (the lanes whose target {@code db} is);
     * empty when the metadata has no dead-letter table yet.
     */
    public static List<Count> counts(SideDatabase db, String metadataSchema, String bridge) {
        String t = db.dialect().qualified(metadataSchema, "dead_letter");
        if (!io.graybridge.bridge.metadata.LaneStatus.exists(db, t)) {
            return List.of();
        }
        List<Count> out = new ArrayList<>();
        // SQL that PostgreSQL and MariaDB both run (no FILTER, no bool_or)
        db.useTransaction(h -> h.createQuery("SELECT lane, source_table,"
                        + " SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 'open' AND reason = 'failed' THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 'open' AND reason = 'held' THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN status = 'retried' THEN 1 ELSE 0 END),"
                        + " MAX(CASE WHEN status = 'open' AND policy = 'pause' THEN 1 ELSE 0 END)"
                        + " FROM " + t + " WHERE bridge = :b GROUP BY lane, source_table ORDER BY lane, source_table")
                .bind("b", bridge)
                .map((rs, ctx) -> out.add(new Count(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getInt(7) == 1)))
                .list());
        return out;
    }
}
