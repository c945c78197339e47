package io.graybridge.bridge.lane;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one lane, for progress output, status and the demo's account. */
public final class LaneStats {
    private static final int LAG_WINDOW = 16_384;

    private final AtomicLong snapshotRows = new AtomicLong();
    private final AtomicLong streamedChanges = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong echoesSuppressed = new AtomicLong();
    private final AtomicLong conflictsIncomingWon = new AtomicLong();
    private final AtomicLong conflictsCurrentKept = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong keyWritesPruned = new AtomicLong();
    private final AtomicLong knowledgeOnlyCycles = new AtomicLong();
    private final AtomicLong engineRestarts = new AtomicLong();
    private final AtomicLong barrierWaits = new AtomicLong();
    private final AtomicLong barrierWaitNanos = new AtomicLong();
    private final AtomicLong keysNotHeld = new AtomicLong();
    private final long[] lagMillis = new long[LAG_WINDOW];
    private long lagSamples;
    private final LagHistogram lagHistogram = new LagHistogram();
    private volatile Instant lastAppliedAt;
    private volatile Instant lastSourceCommit;
    private volatile long newestBatchLagMillis;
    private volatile String waitingFor;

    void recordBatch(long snapshot, long streamed, Instant newestCommit, long[] lags, int lagCount) {
        snapshotRows.addAndGet(snapshot);
        streamedChanges.addAndGet(streamed);
        batches.incrementAndGet();
        lastAppliedAt = Instant.now();
        if (newestCommit != null) {
            lastSourceCommit = newestCommit;
        }
        long batchLag = 0;
        for (int i = 0; i < lagCount; i++) {
            batchLag = Math.max(batchLag, lags[i]);
        }
        if (lagCount > 0) {
            newestBatchLagMillis = batchLag;
        }
        synchronized (lagMillis) {
            for (int i = 0; i < lagCount; i++) {
                lagMillis[(int) (lagSamples++ % LAG_WINDOW)] = lags[i];
                lagHistogram.record(lags[i]);
            }
        }
    }

    /**
     * What the lane's writer waits for at the barrier ("waiting for lane X to pass P"), or {@code null}. (The barrier
     * also stores a wait of more than a second in {@code lane_progress}, for {@code graybridge status}.)
     */
    public void waitingFor(String what) {
        waitingFor = what;
    }

    /** What the lane waits for at the conflict barrier, if it waits now. */
    public java.util.Optional<String> waitingFor() {
        return java.util.Optional.ofNullable(waitingFor);
    }

    void recordKeyWritesPruned(long n) {
        keyWritesPruned.addAndGet(n);
    }

    /**
     * This lane's {@code key_write} rows this run deleted as unable to make a conflict again ({@code
     * lane_progress.key_writes_pruned} counts them across runs).
     */
    public long keyWritesPruned() {
        return keyWritesPruned.get();
    }

    void recordBarrierWait(long nanos) {
        barrierWaits.incrementAndGet();
        barrierWaitNanos.addAndGet(nanos);
    }

    /**
     * Times this run's writer waited at the convergence barrier (two-way policies: once per applied batch that has
     * changes decided by knowledge) for the reverse lane.
     */
    public long barrierWaits() {
        return barrierWaits.get();
    }

    /** Nanoseconds this run's writer spent waiting at the convergence barrier, in all ({@link #barrierWaits}). */
    public long barrierWaitNanos() {
        return barrierWaitNanos.get();
    }

    void recordKeyNotHeld() {
        keysNotHeld.incrementAndGet();
    }

    /**
     * Keys this run's writer found missing at a batch's locked read on a PostgreSQL target and could not hold to the
     * commit, the table refusing the change's row image (ARCHITECTURE.md, "Missing keys on PostgreSQL targets"): each
     * such key went on unheld, open to an application insert between the read and the commit.
     */
    public long keysNotHeld() {
        return keysNotHeld.get();
    }

    void recordKnowledgeOnly() {
        knowledgeOnlyCycles.incrementAndGet();
    }

    void recordEngineRestart() {
        engineRestarts.incrementAndGet();
    }

    /**
     * Times this run's capture went knowledge-only (latest-wins with both lanes on: its apply queue was full while the
     * reverse lane waited for it; ARCHITECTURE.md, "latest-wins: the build plan").
     */
    public long knowledgeOnlyCycles() {
        return knowledgeOnlyCycles.get();
    }

    /** Times this run's capture restarted its engine from the stored offset after knowledge-only. */
    public long engineRestarts() {
        return engineRestarts.get();
    }

    void recordDeadLetters(long n) {
        deadLetters.addAndGet(n);
    }

    /** Source changes this run kept as dead letters (failed mapping, or held while their table was paused). */
    public long deadLetters() {
        return deadLetters.get();
    }

    void recordEchoes(long n) {
        echoesSuppressed.addAndGet(n);
    }

    void recordConflicts(long incomingWon, long currentKept) {
        conflictsIncomingWon.addAndGet(incomingWon);
        conflictsCurrentKept.addAndGet(currentKept);
    }

    /** Row changes the loop guard dropped because the bridge itself wrote them. */
    public long echoesSuppressed() {
        return echoesSuppressed.get();
    }

    /** Conflicts where the incoming change won. */
    public long conflictsIncomingWon() {
        return conflictsIncomingWon.get();
    }

    /** Conflicts where the target's version was kept. */
    public long conflictsCurrentKept() {
        return conflictsCurrentKept.get();
    }

    public long snapshotRows() {
        return snapshotRows.get();
    }

    public long streamedChanges() {
        return streamedChanges.get();
    }

    public long batches() {
        return batches.get();
    }

    public Instant lastAppliedAt() {
        return lastAppliedAt;
    }

    public Instant lastSourceCommit() {
        return lastSourceCommit;
    }

    /**
     * The lag of the newest batch that streamed changes: the longest time from source commit to target
     * commit among its changes; {@link Duration#ZERO} before any change streamed. It does not grow while
     * the lane is idle (or stuck before its next commit).
     */
    public Duration newestLag() {
        return Duration.ofMillis(newestBatchLagMillis);
    }

    /**
     * Every streamed change's lag since the lane started, in buckets: subtract two snapshots for the lags
     * of the changes in between.
     */
    public LagHistogram.Snapshot lagHistogram() {
        return lagHistogram.snapshot();
    }

    /**
     * Lag percentile over the newest streamed changes: time from source commit to target commit.
     *
     * @param percentile 0..100
     * @return the lag, or {@link Duration#ZERO} before any change streamed
     */
    public Duration lag(double percentile) {
        long[] copy;
        synchronized (lagMillis) {
            int n = (int) Math.min(lagSamples, LAG_WINDOW);
            copy = Arrays.copyOf(lagMillis, n);
        }
        if (copy.length == 0) {
            return Duration.ZERO;
        }
        Arrays.sort(copy);
        int index = (int) Math.ceil(percentile / 100.0 * copy.length) - 1;
        return Duration.ofMillis(copy[Math.max(0, Math.min(copy.length - 1, index))]);
    }
}
