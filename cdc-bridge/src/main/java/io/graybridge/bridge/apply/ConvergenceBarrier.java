package io.graybridge.bridge.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.capture.CaptureKnowledge;
import io.graybridge.bridge.capture.SourcePositions;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.bridge.guard.TransactionMarker;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the writer of lane O -> S needs from the other side for the delete-convergence rules (ARCHITECTURE.md,
 * "Conflicts"): S's own application writes per key, as the reverse lane S -> O recorded them on O ({@code key_write}),
 * and, for the lane into the winning side, the barrier: after its locked read it reads S's position and waits until
 * lane S -> O has stored an applied position at or past it on O, so that knowledge is complete up to the locked read.
 * A quiet S gets a watermark (a transaction holding only the bridge's mark) so the reverse lane has a commit past the
 * position to store.
 */
public final class ConvergenceBarrier {
    private static final Logger LOG = LoggerFactory.getLogger(ConvergenceBarrier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the barrier waits for the reverse lane before it commits a watermark on S, and between watermarks. */
    static final long WATERMARK_AFTER_MILLIS = 200;
    static final long WATERMARK_EVERY_MILLIS = 3_000;
    static final long LOG_EVERY_MILLIS = 30_000;
    /** How long a wait lasts before it is stored for {@code graybridge status}, and how often it is refreshed. */
    static final long STORE_WAIT_AFTER_MILLIS = 1_000;
    public static final long STORE_WAIT_EVERY_MILLIS = 5_000;

    private final SideDatabase source;
    private final SideDatabase target;
    private final String metadataSchema;
    private final String bridge;
    private final String lane;
    private final String reverseLane;
    private final LoopGuard targetGuard;
    private final Consumer<String> waiting;
    private volatile boolean closing;
    /** The reverse lane's capture knowledge (two-way latest-wins, both lanes in this process), or {@code null}. */
    private volatile CaptureKnowledge reverseKnowledge;
    /** Set for a dead letter's retry outside the bridge's process: no capture runs here, so the stored position counts. */
    private volatile boolean outsideTheBridge;
    /** The longest a wait may last ({@link #limitWaits}); unlimited for a running lane. */
    private volatile long maxWaitMillis = Long.MAX_VALUE;
    /**
     * Marks a stored wait's reached position ({@code lane_progress.waiting_stored_position}) as what the reverse lane's
     * capture read (two-way latest-wins waits for that), not what it stored; {@code status} says which.
     */
    public static final String CAPTURED_PREFIX = "capture read ";
    private volatile java.util.function.LongConsumer waited = n -> {};
    /**
     * Where the barrier's own reads and watermarks run: Jdbi hands a thread that is inside a transaction of the same
     * database that transaction's handle again, and a watermark inside the writer's open transaction would never
     * commit (and a read in it could see a fixed snapshot).
     */
    private final java.util.concurrent.ExecutorService own;

    /**
     * @param source side O, where the reverse lane stores its offsets and {@code key_write}
     * @param target side S, the writer's target
     * @param lane this lane (O -> S)
     * @param reverseLane the lane S -> O
     * @param waiting told what the barrier waits for ({@code null} once it does not wait)
     */
    public ConvergenceBarrier(SideDatabase source, SideDatabase target, String metadataSchema, String bridge,
            String lane, String reverseLane, Consumer<String> waiting) {
        this.source = source;
        this.target = target;
        this.metadataSchema = metadataSchema;
        this.bridge = bridge;
        this.lane = lane;
        this.reverseLane = reverseLane;
        this.targetGuard = LoopGuard.of(target.dialect(), bridge, metadataSchema);
        this.waiting = waiting;
        this.own = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "graybridge-barrier-" + lane);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the barrier's own thread, outside the writer's transaction. */
    private <T> T outside(java.util.concurrent.Callable<T> work) throws InterruptedException {
        java.util.concurrent.Future<T> f;
        try {
            f = own.submit(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new InterruptedException("lane " + lane + " stops");
        }
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /**
     * Ends a wait in progress (the lane is stopping): {@link #awaitApplied} throws {@link InterruptedException}. Reads
     * still work until {@link #close()}, so a batch that is not waiting completes (or rolls back) normally.
     */
    public void stopWaiting() {
        closing = true;
    }

    /**
     * {@code waited} is told the length of every wait of this barrier, in nanoseconds, once it ends (passed, stopped or
     * failed): {@code graybridge_barrier_wait_seconds_total} and {@code graybridge_barrier_waits_total}.
     */
    public void onWaited(java.util.function.LongConsumer waited) {
        this.waited = waited;
    }

    /**
     * Limits each wait to {@code millis}, after which it fails with a message saying the reverse lane must run: for
     * {@code deadletters retry}, whose process runs no lane (the bridge's own process runs the reverse lane).
     */
    public void limitWaits(long millis) {
        maxWaitMillis = millis;
    }

    /**
     * Two-way {@code latest-wins}: the reverse lane's capture knowledge, which {@link #awaitKnowledge} waits on; both lanes
     * run in one process ({@code Bridge} wires them).
     */
    public void useReverseKnowledge(CaptureKnowledge reverse) {
        this.reverseKnowledge = reverse;
    }

    /** Whether {@link #useReverseKnowledge} was called. */
    public boolean knowsReverseCapture() {
        return reverseKnowledge != null;
    }

    /**
     * A dead letter's retry outside the bridge's process ({@code deadletters retry}): the reverse lane's capture does not
     * run here, so {@link #awaitKnowledge} waits for its stored (applied) position, at most {@code millis}.
     */
    public void outsideTheBridge(long millis) {
        outsideTheBridge = true;
        limitWaits(millis);
    }

    /** Stops the barrier's thread; call after the lane's capture stopped. */
    public void close() {
        closing = true;
        own.shutdown();
    }

    /** S's position now, read on the writer's connection after its locked read. */
    public long targetPosition(Connection c) throws SQLException {
        if (target.dialect().mysqlFamily()) {
            io.graybridge.bridge.db.BinlogStatus.Position p = io.graybridge.bridge.db.BinlogStatus.current(c,
                    target.dialect()).orElseThrow(() -> new SQLException("the " + target.config().describe()
                            + " writes no binlog (its binlog status is empty): lane " + reverseLane + " cannot capture it",
                            "55000"));
            return SourcePositions.binlog(p.file(), p.offset());
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until the reverse lane stored an applied position at or past {@code position} on O, committing watermarks
     * on S while it is not there.
     *
     * @param stillNeeded checked while waiting: when it turns false (the phase moved the winning side), the wait ends
     * @return whether the position was reached ({@code false}: no longer needed)
     * @throws InterruptedException when the lane stops meanwhile
     */
    public boolean awaitApplied(long position, BooleanSupplier stillNeeded) throws InterruptedException {
        Boolean reached = await(position, false, stillNeeded, (sliceMillis, reachedPosition) -> {
            long stored = outside(this::storedPosition);
            reachedPosition[0] = stored;
            if (stored >= position) {
                return Boolean.TRUE;
            }
            Thread.sleep(sliceMillis);
            return null;
        });
        return reached != null;
    }

    /**
     * What two-way {@code latest-wins} decides with (ARCHITECTURE.md, "latest-wins: the build plan", step 3): waits
     * until the reverse lane's capture has read S up to {@code position} (its in-memory captured position, {@link
     * CaptureKnowledge#awaitCaptured}, in slices, committing watermarks on a quiet S between them), then returns, per key
     * of {@code hashes} (S's keys, {@link KeyText#hash}), S's last application write and the key's current version: what
     * capture holds in memory (read with the position, in one critical section), and for what it does not hold, what the
     * reverse lane stored in {@code key_write} on O with its offset. Outside the bridge's process ({@link
     * #outsideTheBridge}: a dead letter's retry, no capture runs) it waits for the reverse lane's <em>applied</em>
     * position instead and reads {@code key_write} only: complete as of that position too.
     *
     * @throws InterruptedException when the lane stops meanwhile
     */
    public Map<ByteBuffer, CaptureKnowledge.Known> awaitKnowledge(long position, Collection<ByteBuffer> hashes)
            throws InterruptedException {
        CaptureKnowledge reverse = this.reverseKnowledge;
        Map<ByteBuffer, CaptureKnowledge.Known> memory;
        if (reverse == null || outsideTheBridge) {
            awaitApplied(position, () -> true);
            memory = Map.of();
        } else {
            CaptureKnowledge.View view = await(position, true, () -> true,
                    (sliceMillis, reachedPosition) -> {
                        CaptureKnowledge.View v = reverse.awaitCaptured(position, hashes, sliceMillis);
                        reachedPosition[0] = v == null ? reverse.capturedPosition() : v.capturedPosition();
                        return v;
                    });
            memory = view.keys();
        }
        List<ByteBuffer> unknown = new ArrayList<>();
        for (ByteBuffer h : hashes) {
            CaptureKnowledge.Known k = memory.get(h);
            if (k == null || k.lastWrite() == null || k.version() == null) {
                unknown.add(h);
            }
        }
        Map<ByteBuffer, CaptureKnowledge.Known> stored = unknown.isEmpty() ? Map.of()
                : outside(() -> StoredKnowledge.read(source, source.dialect().qualified(metadataSchema, "key_write"),
                        bridge, reverseLane, unknown));
        return merged(hashes, memory, stored);
    }

    /**
     * What is known of each key of {@code hashes}: capture's {@code memory} (what it read since the reverse lane's stored
     * offset, so newer than {@code key_write}) where it knows the last write or the version, {@code stored} (the
     * reverse lane's {@code key_write} rows) for what memory lacks; keys known nowhere are left out.
     */
    static Map<ByteBuffer, CaptureKnowledge.Known> merged(Collection<ByteBuffer> hashes,
            Map<ByteBuffer, CaptureKnowledge.Known> memory, Map<ByteBuffer, CaptureKnowledge.Known> stored) {
        Map<ByteBuffer, CaptureKnowledge.Known> out = new HashMap<>();
        for (ByteBuffer h : hashes) {
            CaptureKnowledge.Known m = memory.get(h);
            CaptureKnowledge.Known s = stored.get(h);
            if (m == null && s == null) {
                continue;
            }
            // memory is what capture read since the stored offset, so it is newer than key_write where it knows a part
            CaptureKnowledge.Write write = m != null && m.lastWrite() != null ? m.lastWrite()
                    : s == null ? null : s.lastWrite();
            CaptureKnowledge.Version version = m != null && m.version() != null ? m.version()
                    : s == null ? null : s.version();
            out.put(h, new CaptureKnowledge.Known(h, m != null && m.table() != null ? m.table() : s == null ? null
                    : s.table(), m != null && m.key() != null ? m.key() : s == null ? null : s.key(), write, version));
        }
        return out;
    }

    /** One slice of a wait: done (non-null) or not yet, with the position the reverse lane reached in {@code reached[0]}. */
    @FunctionalInterface
    private interface Slice<T> {
        T tryFor(long sliceMillis, long[] reached) throws InterruptedException;
    }

    /**
     * Runs {@code slice} until it returns non-null, committing watermarks on S after 200 ms and every 3 s, storing the
     * wait for {@code graybridge status} after 1 s, logging every 30 s; {@link #stopWaiting} ends it with {@link
     * InterruptedException}, {@link #limitWaits} with an error.
     *
     * @param captured whether the position the reverse lane reached is what its capture read (two-way latest-wins), not
     *     its applied (stored) offset
     * @return what {@code slice} returned, or {@code null} when {@code stillNeeded} turned false
     */
    private <T> T await(long position, boolean captured, BooleanSupplier stillNeeded, Slice<T> slice)
            throws InterruptedException {
        long startedNanos = System.nanoTime();
        long started = System.currentTimeMillis();
        long lastWatermark = 0;
        long lastLog = started;
        long lastStored = 0; // when the wait was last stored for status (0: not stored)
        long[] reached = {SourcePositions.NONE};
        try {
            while (true) {
                T done = slice.tryFor(System.currentTimeMillis() - started < 1_000 ? 10 : 50, reached);
                if (done != null) {
                    return done;
                }
                if (closing || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("lane " + lane + " stops while waiting for lane " + reverseLane);
                }
                if (!stillNeeded.getAsBoolean()) {
                    return null;
                }
                long now = System.currentTimeMillis();
                String it = (captured ? "its capture read " : "it stored ") + describe(reached[0]);
                if (now - started >= maxWaitMillis) {
                    throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.APPLY_FAILED,
                            "lane " + lane + ": waited " + (now - started) / 1000 + " s for lane " + reverseLane
                                    + " to pass " + describe(position) + " (" + it + "): a change"
                                    + " is decided only once lane " + reverseLane + " delivered"
                                    + " every write of the " + target.config().describe() + " up to now, and it does not"
                                    + " run. Start the bridge (graybridge run) and retry again; this batch was not"
                                    + " applied.");
                }
                String what = "waiting for lane " + reverseLane + " to pass " + describe(position) + " (" + it + ")";
                if (now - started >= WATERMARK_AFTER_MILLIS) {
                    waiting.accept(what);
                    if (now - lastWatermark >= WATERMARK_EVERY_MILLIS) {
                        outside(() -> {
                            watermark();
                            return null;
                        });
                        lastWatermark = now;
                    }
                }
                if (now - started >= STORE_WAIT_AFTER_MILLIS && now - lastStored >= STORE_WAIT_EVERY_MILLIS) {
                    long at = reached[0];
                    outside(() -> {
                        storeWait(position, at, captured,
                                java.time.Instant.ofEpochMilli(started));
                        return null;
                    });
                    lastStored = now;
                }
                if (now - lastLog >= LOG_EVERY_MILLIS) {
                    LOG.warn("lane {}: {} for {} s: lane {} must run for this lane to decide conflicts (a paused or"
                            + " stopped lane {} holds this lane back; start it or resume its table)", lane, what,
                            (now - started) / 1000, reverseLane, reverseLane);
                    lastLog = now;
                }
            }
        } finally {
            waited.accept(System.nanoTime() - startedNanos);
            waiting.accept(null);
            if (lastStored != 0) {
                clearStoredWait();
            }
        }
    }

    /**
     * Stores what the lane waits for in its {@code lane_progress} row on S, for {@code graybridge status} (which reads
     * the metadata from outside the process): the reverse lane, the position it must store, what it stored, since when.
     */
    private void storeWait(long position, long stored, boolean captured, java.time.Instant since) {
        String table = target.dialect().qualified(metadataSchema, "lane_progress");
        String columns = " (bridge, lane, waiting_for_lane, waiting_target_position, waiting_stored_position,"
                + " waiting_since, waiting_updated_at) VALUES (:b, :l, :r, :p, :s, :since, :now)";
        // PostgreSQL, or the MySQL family (MariaDB; MySQL takes the same statement)
        String sql = target.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO " + table + columns + " ON CONFLICT (bridge, lane) DO UPDATE SET"
                        + " waiting_for_lane = EXCLUDED.waiting_for_lane,"
                        + " waiting_target_position = EXCLUDED.waiting_target_position,"
                        + " waiting_stored_position = EXCLUDED.waiting_stored_position,"
                        + " waiting_since = EXCLUDED.waiting_since, waiting_updated_at = EXCLUDED.waiting_updated_at"
                : "INSERT INTO " + table + columns + " ON DUPLICATE KEY UPDATE"
                        + " waiting_for_lane = VALUES(waiting_for_lane),"
                        + " waiting_target_position = VALUES(waiting_target_position),"
                        + " waiting_stored_position = VALUES(waiting_stored_position),"
                        + " waiting_since = VALUES(waiting_since), waiting_updated_at = VALUES(waiting_updated_at)";
        try {
            target.withHandle(h -> h.createUpdate(sql)
                    .bind("b", bridge)
                    .bind("l", lane)
                    .bind("r", reverseLane)
                    .bind("p", describe(position))
                    .bind("s", (captured ? CAPTURED_PREFIX : "") + describe(stored))
                    .bind("since", java.sql.Timestamp.from(since))
                    .bind("now", java.sql.Timestamp.from(java.time.Instant.now()))
                    .execute());
        } catch (RuntimeException e) {
            LOG.warn("lane {}: cannot store the wait for lane {} for graybridge status: {}", lane, reverseLane,
                    e.getMessage());
        }
    }

    /**
     * Clears the stored wait (the wait ended, or the lane starts and a killed process left one behind); best effort, on
     * the barrier's own thread, also while the lane is stopping.
     */
    public void clearStoredWait() {
        String table = target.dialect().qualified(metadataSchema, "lane_progress");
        java.util.concurrent.Future<?> f;
        try {
            f = own.submit(() -> target.withHandle(h -> h.createUpdate("UPDATE " + table + " SET waiting_for_lane = NULL,"
                            + " waiting_target_position = NULL, waiting_stored_position = NULL, waiting_since = NULL,"
                            + " waiting_updated_at = NULL WHERE bridge = :b AND lane = :l AND waiting_for_lane IS NOT NULL")
                    .bind("b", bridge)
                    .bind("l", lane)
                    .execute()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // closed: the next start clears it
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // kept below: the clear still gets its chance
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("lane {}: cannot clear the stored wait for lane {} ({}); the next start clears it", lane,
                        reverseLane, e.getCause() == null ? e.toString() : e.getCause().getMessage());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The newest applied position the reverse lane stored on O ({@code lane_offset}), or {@link SourcePositions#NONE}. */
    long storedPosition() {
        String table = source.dialect().qualified(metadataSchema, "lane_offset");
        List<byte[]> values = source.withHandle(h -> h.createQuery(
                        "SELECT offset_value FROM " + table + " WHERE bridge = :b AND lane = :l AND offset_value IS NOT NULL")
                .bind("b", bridge)
                .bind("l", reverseLane)
                .mapTo(byte[].class)
                .list());
        long best = SourcePositions.NONE;
        for (byte[] v : values) {
            try {
                JsonNode offset = JSON.readTree(v);
                if (offset.path("snapshot").asText("false").equals("true")) {
                    continue;
                }
                if (offset.has("lsn")) {
                    best = Math.max(best, offset.get("lsn").asLong());
                } else if (offset.has("file") && offset.has("pos") && !offset.get("file").asText().isEmpty()) {
                    best = Math.max(best, SourcePositions.binlog(offset.get("file").asText(), offset.get("pos").asLong()));
                }
            } catch (IOException | RuntimeException e) {
                // not a position (the lane's stored seen position, another tool's row): ignore it
            }
        }
        return best;
    }

    /** Commits a watermark on S, so the reverse lane has a commit past the barrier's position to store. */
    private void watermark() {
        try {
            if (target.dialect() == Dialect.POSTGRESQL) {
                target.withHandle(h -> TransactionMarker.emitWatermark(h.getConnection(), target.dialect(), bridge));
            } else {
                target.withHandle(h -> {
                    targetGuard.mark(h.getConnection(), TransactionMarker.WATERMARK);
                    return null;
                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("lane {}: cannot commit a watermark on the {} for lane {}: {}", lane, target.config().describe(),
                    reverseLane, e.getMessage());
        }
    }

    /**
     * S's application's last write position per key of {@code keys} (by table, key texts), as the reverse lane
     * recorded it on O; keys it never recorded are missing.
     *
     * @return positions by {@link #id(String, String)}
     */
    public Map<String, Long> lastWrites(Map<String, ? extends java.util.Collection<String>> keys)
            throws InterruptedException {
        return outside(() -> readLastWrites(keys));
    }

    private Map<String, Long> readLastWrites(Map<String, ? extends java.util.Collection<String>> keys) {
        List<ByteBuffer> hashes = new ArrayList<>();
        keys.forEach((table, texts) -> texts.forEach(k -> hashes.add(ByteBuffer.wrap(KeyText.hash(table, k)))));
        Map<String, Long> out = new HashMap<>();
        StoredKnowledge.read(source, source.dialect().qualified(metadataSchema, "key_write"), bridge, reverseLane, hashes)
                .values().forEach(k -> {
                    if (k.lastWrite() != null) { // a row known only from a mark (latest-wins) names no write
                        out.put(id(k.table(), k.key()), k.lastWrite().position());
                    }
                });
        return out;
    }

    /** The lookup id of a table's key text in {@link #lastWrites}. */
    public static String id(String table, String key) {
        return table + '\u0000' + key;
    }

    private String describe(long position) {
        return SourcePositions.describe(position, target.dialect().mysqlFamily());
    }
}
