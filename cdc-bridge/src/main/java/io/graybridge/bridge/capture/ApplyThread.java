package io.graybridge.bridge.capture;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lane's apply thread: capture hands it batches through a bounded queue and reads on while it applies them. It
 * applies each batch through the {@link BatchSink} (rows and offsets in one target transaction) and only then
 * acknowledges the batch's records to Debezium, in capture order. That order matters beyond the offsets: Debezium's
 * PostgreSQL connector confirms to the replication slot whatever was acknowledged, whatever {@link TargetOffsetStore}
 * stores (ARCHITECTURE.md, "Delivery"), so a record acknowledged before its batch committed could let PostgreSQL
 * discard changes a crash would still need. The engine's {@code RecordCommitter} is not thread safe; it is only ever
 * called from this thread.
 */
final class ApplyThread {
    private static final Logger LOG = LoggerFactory.getLogger(ApplyThread.class);
    /** Batches capture may hand over before it waits for apply. */
    static final int READ_AHEAD_BATCHES = 4;

    private record Handover(long seq, CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {}

    private final String laneName;
    private final BatchSink sink;
    private final Runnable onFailure;
    private final BlockingQueue<Handover> queue = new ArrayBlockingQueue<>(READ_AHEAD_BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean stopping;
    /** Sequence number of the last batch handed over (capture's thread only). */
    private long handedSeq;
    /** Sequence number of the last batch applied and acknowledged. */
    private volatile long appliedSeq;

    /**
     * @param onFailure called on this thread once, when applying a batch failed while the lane was not stopping
     */
    ApplyThread(String laneName, BatchSink sink, Runnable onFailure) {
        this.laneName = laneName;
        this.sink = sink;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "graybridge-apply-" + laneName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Hands {@code batch} over, to be acknowledged with {@code records} once applied; waits while {@value
     * #READ_AHEAD_BATCHES} batches are not applied yet.
     *
     * @return the batch's sequence number ({@link #appliedThrough})
     * @throws ApplyStoppedException when applying an earlier batch failed
     */
    long handOver(CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        Handover h = new Handover(handedSeq + 1, batch, List.copyOf(records), committer);
        while (!queue.offer(h, 100, TimeUnit.MILLISECONDS)) {
            Throwable f = failure;
            if (f != null) {
                throw new ApplyStoppedException(laneName, f);
            }
            if (stopping) {
                throw new InterruptedException("lane " + laneName + " stops");
            }
        }
        handedSeq = h.seq();
        return h.seq();
    }

    /** Whether the batch numbered {@code seq} (and so every one before it) was applied; true for 0. */
    boolean appliedThrough(long seq) {
        return appliedSeq >= seq;
    }

    /** Why applying stopped, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    private void run() {
        while (true) {
            Handover h;
            try {
                h = queue.take();
            } catch (InterruptedException e) {
                return; // stopped while idle
            }
            try {
                sink.accept(h.batch());
                if (!h.records().isEmpty() && !stopping) {
                    for (RecordChangeEvent<SourceRecord> r : h.records()) {
                        h.committer().markProcessed(r);
                    }
                    h.committer().markBatchFinished();
                }
                appliedSeq = h.seq();
            } catch (Throwable t) {
                failure = t;
                if (!stopping) {
                    onFailure.run();
                }
                return;
            }
        }
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
        queue.clear();
    }

    /** Capture's signal that the apply thread stopped on a failure: the engine stops, the lane reports the cause. */
    static final class ApplyStoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ApplyStoppedException(String laneName, Throwable cause) {
            super("lane " + laneName + ": applying a batch failed, capture stops", cause);
        }
    }
}
