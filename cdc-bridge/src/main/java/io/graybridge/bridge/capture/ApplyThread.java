package io.graybridge.bridge.capture;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lane's apply thread: capture hands it batches through a queue bounded in row changes (the lane's {@code
 * read-ahead}) and reads on while it applies them. It applies each batch through the {@link BatchSink} (rows and
 * offsets in one target transaction) and only then acknowledges the batch's records to Debezium, in capture order.
 * That order matters beyond the offsets: Debezium's PostgreSQL connector confirms to the replication slot whatever was
 * acknowledged, whatever {@link TargetOffsetStore} stores (ARCHITECTURE.md, "Delivery"), so a record acknowledged
 * before its batch committed could let PostgreSQL discard changes a crash would still need. The engine's {@code
 * RecordCommitter} is not thread safe; it is only ever called from this thread, and only for records handed over
 * since the engine's task last started ({@link #taskStarted}): one apply thread serves one engine run, and a stopped
 * one acknowledges nothing more.
 *
 * <p>Batches queued while one is applied are applied together, up to the lane's {@code batch-size} row changes, in one
 * target transaction ({@link CapturedBatch#merged}; never a chunk of an unfinished source transaction): a lane that
 * falls behind pays the per-transaction cost (commit, and under two-way policies the barrier's wait for the reverse
 * lane) once per {@code batch-size} changes rather than once per capture hand-over, which at a modest rate holds only
 * what arrived within one {@code poll-interval-ms}. Each batch's records are still acknowledged in order, after the
 * merged transaction committed.
 *
 * <p>Knowledge-only (latest-wins with both lanes on): {@link #offer} gives up on a full queue when capture is asked to
 * read on, and {@link #closeQueue} ends the hand-overs of this run and says when everything queued before is applied.
 */
final class ApplyThread {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyThread.class);

    private record Handover(long seq, long generation, int rows, CapturedBatch batch,
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {}

    private final String laneName;
    private final BatchSink sink;
    private final Runnable onFailure;
    private final int maxRows;
    private final int mergeRows;
    private final Thread thread;
    /** Guards the queue and everything below it. */
    private final Object lock = new Object();
    private final ArrayDeque<Handover> queue = new ArrayDeque<>();
    private int queuedRows;
    /** Sequence number of the last batch handed over. */
    private long handedSeq;
    /** The engine task's start count: records handed over under an earlier one are not acknowledged. */
    private long generation;
    /** No more hand-overs ({@link #closeQueue}); {@link #onDrained} runs once everything queued is applied. */
    private boolean closed;
    private Runnable onDrained;
    private volatile Throwable failure;
    private volatile boolean stopping;
    /** Sequence number of the last batch applied (and acknowledged, unless from an earlier task start). */
    private volatile long appliedSeq;

    /**
     * @param maxRows the queue's bound in row changes (a batch counts its changes, at least 1); a batch larger than
     *     the bound still goes in when the queue is empty
     * @param mergeRows the most row changes of queued batches applied together (the lane's batch-size); below 1, each
     *     batch is applied on its own
     * @param onFailure called on this thread once, when applying a batch failed while the lane was not stopping
     */
    ApplyThread(String laneName, BatchSink sink, int maxRows, int mergeRows, Runnable onFailure) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("lane " + laneName + ": read-ahead must be at least 1, was " + maxRows);
        }
        this.laneName = laneName;
        this.sink = sink;
        this.maxRows = maxRows;
        this.mergeRows = mergeRows;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "graybridge-apply-" + laneName);
        thread.setDaemon(true);
    }

    /** An apply thread that applies each batch on its own (tests of the queue and the acknowledgements). */
    ApplyThread(String laneName, BatchSink sink, int maxRows, Runnable onFailure) {
        this(laneName, sink, maxRows, 0, onFailure);
    }

    void start() {
        thread.start();
    }

    /** What a batch counts against the bound: its row changes, at least 1 (a batch of counters or a position only). */
    static int rowsOf(CapturedBatch batch) {
        return Math.max(1, batch.changes().size());
    }

    /**
     * Hands {@code batch} over, to be acknowledged with {@code records} once applied; waits while the queue is full.
     *
     * @return the batch's sequence number ({@link #appliedThrough})
     * @throws ApplyStoppedException when applying an earlier batch failed
     */
    long handOver(CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        return offer(batch, records, committer, () -> false);
    }

    /**
     * Like {@link #handOver}, but gives up when the queue is full and {@code giveUp} says so (asked every 100 ms while
     * it waits, outside this thread's lock).
     *
     * @return the batch's sequence number, or -1 when it gave up (nothing was queued)
     */
    long offer(CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer, BooleanSupplier giveUp)
            throws InterruptedException {
        int rows = rowsOf(batch);
        List<RecordChangeEvent<SourceRecord>> copy = List.copyOf(records);
        while (true) {
            synchronized (lock) {
                Throwable f = failure;
                if (f != null) {
                    throw new ApplyStoppedException(laneName, f);
                }
                if (stopping) {
                    throw new InterruptedException("lane " + laneName + " stops");
                }
                if (closed) {
                    throw new IllegalStateException("lane " + laneName + ": a batch handed over after knowledge-only"
                            + " began (nothing more may be queued in this engine run)");
                }
                if (queue.isEmpty() || queuedRows + rows <= maxRows) {
                    Handover h = new Handover(handedSeq + 1, generation, rows, batch, copy, committer);
                    queue.addLast(h);
                    queuedRows += rows;
                    handedSeq = h.seq();
                    lock.notifyAll();
                    return h.seq();
                }
            }
            if (giveUp.getAsBoolean()) {
                return -1;
            }
            synchronized (lock) {
                if (!queue.isEmpty() && queuedRows + rows > maxRows && failure == null && !stopping) {
                    lock.wait(100);
                }
            }
        }
    }

    /**
     * The engine started its task (again): batches handed over before stay queued and are applied, but their records
     * are not acknowledged (the committer they came with belongs to the earlier task, and Debezium sends them again).
     */
    void taskStarted() {
        synchronized (lock) {
            generation++;
        }
    }

    /**
     * Ends the hand-overs of this run: {@code whenDrained} runs once, when every batch handed over before is applied
     * and acknowledged (at once, on this caller's thread, if that is so already), on the thread that finds it so. Not
     * run when applying fails or the thread stops first.
     */
    void closeQueue(Runnable whenDrained) {
        boolean now;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            now = queue.isEmpty() && appliedSeq == handedSeq && failure == null && !stopping;
            if (!now) {
                onDrained = whenDrained;
            }
        }
        if (now) {
            whenDrained.run();
        }
    }

    /** Whether the batch numbered {@code seq} (and so every one before it) was applied; true for 0. */
    boolean appliedThrough(long seq) {
        return appliedSeq >= seq;
    }

    /** Row changes queued and not yet taken by the apply thread (for tests and logs). */
    int queuedRows() {
        synchronized (lock) {
            return queuedRows;
        }
    }

    /** Why applying stopped, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    private void run() {
        while (true) {
            List<Handover> taken;
            try {
                synchronized (lock) {
                    while (queue.isEmpty()) {
                        lock.wait();
                    }
                    taken = takeMerged();
                    lock.notifyAll();
                }
            } catch (InterruptedException e) {
                return; // stopped while idle
            }
            Handover last = taken.get(taken.size() - 1);
            try {
                io.graybridge.bridge.apply.CrashPoints.pause("before-batch", laneName); // tests may hold the lane here
                List<CapturedBatch> batches = new ArrayList<>(taken.size());
                for (Handover h : taken) {
                    batches.add(h.batch());
                }
                sink.accept(CapturedBatch.merged(batches)); // one batch is itself
                long current;
                synchronized (lock) {
                    current = generation;
                }
                for (Handover h : taken) {
                    if (!h.records().isEmpty() && !stopping && h.generation() == current) {
                        for (RecordChangeEvent<SourceRecord> r : h.records()) {
                            h.committer().markProcessed(r);
                        }
                        h.committer().markBatchFinished();
                    }
                }
                appliedSeq = last.seq();
            } catch (Throwable t) {
                failure = t;
                synchronized (lock) {
                    lock.notifyAll();
                }
                if (!stopping) {
                    onFailure.run();
                }
                return;
            }
            Runnable drained = null;
            synchronized (lock) {
                if (closed && onDrained != null && queue.isEmpty() && appliedSeq == handedSeq && !stopping) {
                    drained = onDrained;
                    onDrained = null;
                }
            }
            if (drained != null) {
                drained.run();
            }
        }
    }

    /**
     * Takes the queue's first batch and, while it and the next are {@link CapturedBatch#mergeable}, of the same engine
     * task start, and together within {@code mergeRows} row changes, the next ones too. Holds the lock.
     */
    private List<Handover> takeMerged() {
        List<Handover> taken = new ArrayList<>(4);
        Handover first = queue.pollFirst();
        queuedRows -= first.rows();
        taken.add(first);
        int rows = first.batch().changes().size();
        if (mergeRows < 1 || !first.batch().mergeable()) {
            return taken;
        }
        for (Handover next = queue.peekFirst(); next != null; next = queue.peekFirst()) {
            int more = next.batch().changes().size();
            if (next.generation() != first.generation() || !next.batch().mergeable() || rows + more > mergeRows) {
                break;
            }
            queue.pollFirst();
            queuedRows -= next.rows();
            rows += more;
            taken.add(next);
        }
        return taken;
    }

    /**
     * Stops the thread and waits for it: a batch being applied is interrupted (it rolls back with its position and is
     * captured again at the next start); batches still queued are dropped, unacknowledged, for the same reason.
     */
    void stop() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("lane {}: the apply thread did not stop within 30 s", laneName);
        }
        synchronized (lock) {
            queue.clear();
            queuedRows = 0;
            onDrained = null;
            lock.notifyAll();
        }
    }

    /** Capture's signal that the apply thread stopped on a failure: the engine stops, the lane reports the cause. */
    static final class ApplyStoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApplyStoppedException(String laneName, Throwable cause) {
            super("lane " + laneName + ": applying a batch failed, capture stops", cause);
        }
    }
}
