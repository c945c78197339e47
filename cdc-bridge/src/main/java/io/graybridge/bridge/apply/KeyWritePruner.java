package io.graybridge.bridge.apply;

import io.graybridge.bridge.capture.SourcePositions;
import io.graybridge.bridge.capture.TransactionCapture;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the {@code key_write} rows of lane S -> O (on O) that can never make a conflict again (ARCHITECTURE.md,
 * "Deletes", pruning). The reverse lane O -> S decides a change w as concurrent with S's write of its key when {@code
 * key_write(S,k).position > w.seen}, and every change it can still deliver, also after a restart from its stored
 * offset, carries at least the seen position it stored with that offset (capture resumes from it and only raises it).
 * So a row whose position is at or before that stored seen decides exactly as a missing row does, and goes. The bound
 * is read from what the reverse lane <em>committed</em> on S, never from what its capture has read ahead: a restart
 * delivers those changes again with the stored seen ({@code DeleteConvergenceModelTest} diverges either way). An open
 * dead letter of the reverse lane under the pause policy is a change it can still deliver (a retry decides it with the
 * seen kept with it), so the least of their seen positions bounds the pruning too.
 *
 * <p>Runs on the lane's own thread between its batches, so it never meets the lane's own upserts of the same rows; the
 * reverse lane only reads them. Bounded work per step: one chunk of the lane's rows in key order ({@link #CHUNK} rows
 * read, those at or before the bound deleted by key in a transaction of their own, counted in {@code
 * lane_progress.key_writes_pruned} in the same transaction), a sweep through the table one chunk per step, a pause
 * after each complete sweep.
 *
 * <p>Under {@code latest-wins} a row also carries the key's current version on S ({@code version_stamp}), which capture
 * reads back to raise the stamp of S's next write of the key past it, also when it reads that write again after a
 * restart from its stored offset. A row goes there only when, besides the position rule, its version's stamp is older
 * than the commit time of the last change this lane applied ({@code lane_progress.last_source_commit}, stored with the
 * offset) less {@link #VERSION_MARGIN_MILLIS}: every write capture can still read, now or again after a restart, commits
 * after the stored offset, so later than the version, which therefore raises no stamp ({@code
 * LatestWinsReadAheadModelTest}: pruning by position alone changes stamps of writes read again). The margin covers commit
 * times that are not quite in commit order and clocks stepped back by less than it.
 */
public final class KeyWritePruner {
    private static final Logger LOG = LoggerFactory.getLogger(KeyWritePruner.class);
    /** Rows read per step. */
    static final int CHUNK = 1_000;
    /** Least time between two steps of a sweep, and the pause after a complete sweep. */
    static final long STEP_EVERY_MILLIS = 200;
    public static final long SWEEP_PAUSE_MILLIS = 10_000;
    /** How much older than the stored offset's commit time a version must be to be pruned (latest-wins). */
    public static final long VERSION_MARGIN_MILLIS = 60_000;
    private static volatile long versionMarginMillis = VERSION_MARGIN_MILLIS;

    private final SideDatabase source;
    private final SideDatabase target;
    private final String metadataSchema;
    private final String bridge;
    private final String lane;
    private final String reverseLane;
    private final long sweepPauseMillis;
    /** Whether rows carry versions that may still raise a stamp (latest-wins). */
    private final boolean versions;
    /** The last key hash of the previous chunk of this sweep, or {@code null} at the start of a sweep. */
    private byte[] cursor;
    private long nextStepAt;
    private long pruned;

    /**
     * @param source side S, where the reverse lane O -> S stores its offsets and seen position
     * @param target side O, where this lane (S -> O) keeps its {@code key_write} rows
     * @param sweepPauseMillis the pause after a complete sweep
     */
    public KeyWritePruner(SideDatabase source, SideDatabase target, String metadataSchema, String bridge, String lane,
            String reverseLane, long sweepPauseMillis) {
        this(source, target, metadataSchema, bridge, lane, reverseLane, sweepPauseMillis, false);
    }

    /**
     * @param versions whether the lane's rows carry versions (latest-wins): a row goes only once its version is older
     *     than the stored offset's commit time less {@link #VERSION_MARGIN_MILLIS}
     */
    public KeyWritePruner(SideDatabase source, SideDatabase target, String metadataSchema, String bridge, String lane,
            String reverseLane, long sweepPauseMillis, boolean versions) {
        this.source = source;
        this.target = target;
        this.metadataSchema = metadataSchema;
        this.bridge = bridge;
        this.lane = lane;
        this.reverseLane = reverseLane;
        this.sweepPauseMillis = sweepPauseMillis;
        this.versions = versions;
    }

    /**
     * Test-only, in-process: the margin of the version rule ({@link #VERSION_MARGIN_MILLIS} unless set), so a test can
     * see versioned rows pruned without waiting a minute.
     */
    public static void versionMarginForTests(long millis) {
        versionMarginMillis = millis;
    }

    /** Rows this pruner deleted since it was created. */
    public long pruned() {
        return pruned;
    }

    /**
     * Runs one step when one is due (call between batches, outside any transaction); a failure is logged and the step
     * tried again later, never the lane's failure.
     *
     * @return rows deleted by this step
     */
    public int maybeStep() {
        long now = System.currentTimeMillis();
        if (now < nextStepAt) {
            return 0;
        }
        try {
            long bound = bound();
            long versionsBefore = versions ? versionsBefore() : Long.MAX_VALUE;
            boolean sweepDone;
            int deleted = 0;
            if (bound == SourcePositions.NONE) {
                sweepDone = true;
            } else {
                List<byte[]> chunk = new ArrayList<>();
                List<byte[]> prunable = new ArrayList<>();
                readChunk(bound, versionsBefore, chunk, prunable);
                if (!prunable.isEmpty()) {
                    deleted = delete(prunable, bound, versionsBefore);
                }
                sweepDone = chunk.size() < CHUNK;
                cursor = sweepDone ? null : chunk.get(chunk.size() - 1);
            }
            pruned += deleted;
            nextStepAt = now + (sweepDone ? sweepPauseMillis : STEP_EVERY_MILLIS);
            if (deleted > 0) {
                LOG.debug("lane {}: pruned {} key_write row(s) at or before {} (lane {}'s stored seen position)", lane,
                        deleted, bound, reverseLane);
            }
            return deleted;
        } catch (RuntimeException e) {
            LOG.warn("lane {}: cannot prune key_write rows on the {} now (tried again in {} s): {}", lane,
                    target.config().describe(), sweepPauseMillis / 1000, e.getMessage());
            cursor = null;
            nextStepAt = now + sweepPauseMillis;
            return 0;
        }
    }

    /**
     * How far rows can go: the reverse lane's stored seen position, or, when lower, the least seen position of its open
     * dead letters under the pause policy (a retry decides them with that seen, {@code DeadLetterStore}).
     */
    long bound() {
        long seen = reverseStoredSeen();
        if (seen == SourcePositions.NONE) {
            return seen;
        }
        String letters = source.dialect().qualified(metadataSchema, "dead_letter");
        Long least = source.withHandle(h -> h.createQuery("SELECT min(seen_position) FROM " + letters
                        + " WHERE bridge = :b AND lane = :l AND status = 'open' AND policy = 'pause'")
                .bind("b", bridge)
                .bind("l", reverseLane)
                .mapTo(Long.class)
                .findOne()
                .orElse(null));
        return least == null ? seen : Math.min(seen, least);
    }

    /**
     * The seen position the reverse lane stored with its offset on S ({@code lane_offset}, the row {@code
     * TransactionCapture} writes beside Debezium's offsets), or {@link SourcePositions#NONE}.
     */
    long reverseStoredSeen() {
        String table = source.dialect().qualified(metadataSchema, "lane_offset");
        List<byte[]> values = source.withHandle(h -> h.createQuery("SELECT offset_value FROM " + table
                        + " WHERE bridge = :b AND lane = :l AND offset_value IS NOT NULL")
                .bind("b", bridge)
                .bind("l", reverseLane)
                .mapTo(byte[].class)
                .list());
        for (byte[] v : values) {
            try {
                long seen = TransactionCapture.seenIn(v);
                if (seen != SourcePositions.NONE) {
                    return seen;
                }
            } catch (IOException e) {
                // not JSON: not the seen row
            }
        }
        return SourcePositions.NONE;
    }

    /**
     * Under latest-wins, the stamp (epoch ms) a row's version must be below to go: the commit time of the last change
     * this lane applied, stored with its offset on O, less the margin; {@link Long#MIN_VALUE} (no versioned row goes)
     * while the lane applied nothing.
     */
    long versionsBefore() {
        String progress = target.dialect().qualified(metadataSchema, "lane_progress");
        java.time.Instant commit = target.withHandle(h -> h.createQuery("SELECT last_source_commit FROM " + progress
                        + " WHERE bridge = :b AND lane = :l")
                .bind("b", bridge)
                .bind("l", lane)
                .mapTo(java.time.Instant.class)
                .findOne()
                .orElse(null));
        return commit == null ? Long.MIN_VALUE : commit.toEpochMilli() - versionMarginMillis;
    }

    /**
     * Reads the next chunk of this lane's rows in key order into {@code chunk}, those at or before {@code bound} whose
     * version (if any) is older than {@code versionsBefore} also into {@code prunable}.
     */
    private void readChunk(long bound, long versionsBefore, List<byte[]> chunk, List<byte[]> prunable) {
        String table = target.dialect().qualified(metadataSchema, "key_write");
        byte[] after = cursor;
        target.withHandle(h -> {
            org.jdbi.v3.core.statement.Query q = h.createQuery("SELECT key_hash, write_position, version_stamp FROM " + table
                            + " WHERE bridge = :b AND lane = :l" + (after == null ? "" : " AND key_hash > :after")
                            + " ORDER BY key_hash LIMIT " + CHUNK)
                    .bind("b", bridge)
                    .bind("l", lane);
            if (after != null) {
                q.bind("after", after);
            }
            return q.map((rs, ctx) -> {
                        byte[] hash = rs.getBytes(1);
                        chunk.add(hash);
                        long version = rs.getLong(3);
                        boolean noVersion = rs.wasNull();
                        if (rs.getLong(2) <= bound && (noVersion || version < versionsBefore)) {
                            prunable.add(hash);
                        }
                        return null;
                    })
                    .list();
        });
    }

    /**
     * Deletes {@code hashes} whose position is still at or before {@code bound} (the lane may have raised one since the
     * read: never here, as it runs on the lane's thread, but the condition keeps the delete exact) and counts them, in
     * one transaction on O.
     */
    private int delete(List<byte[]> hashes, long bound, long versionsBefore) {
        String table = target.dialect().qualified(metadataSchema, "key_write");
        String progress = target.dialect().qualified(metadataSchema, "lane_progress");
        // PostgreSQL, or the MySQL family (MariaDB; MySQL takes the same statement)
        String count = target.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO " + progress + " AS lp (bridge, lane, key_writes_pruned) VALUES (:b, :l, :n)"
                        + " ON CONFLICT (bridge, lane) DO UPDATE SET key_writes_pruned = lp.key_writes_pruned + EXCLUDED.key_writes_pruned"
                : "INSERT INTO " + progress + " (bridge, lane, key_writes_pruned) VALUES (:b, :l, :n)"
                        + " ON DUPLICATE KEY UPDATE key_writes_pruned = key_writes_pruned + VALUES(key_writes_pruned)";
        return target.inTransaction(h -> {
            int n = h.createUpdate("DELETE FROM " + table + " WHERE bridge = :b AND lane = :l AND key_hash IN (<hashes>)"
                            + " AND write_position <= :bound AND (version_stamp IS NULL OR version_stamp < :versionsBefore)")
                    .bind("b", bridge)
                    .bind("l", lane)
                    .bindList("hashes", hashes)
                    .bind("bound", bound)
                    .bind("versionsBefore", versionsBefore)
                    .execute();
            if (n > 0) {
                h.createUpdate(count).bind("b", bridge).bind("l", lane).bind("n", (long) n).execute();
            }
            return n;
        });
    }
}
