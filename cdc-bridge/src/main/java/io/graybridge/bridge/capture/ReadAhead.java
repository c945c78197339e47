package io.graybridge.bridge.capture;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One engine run's hand-over of batches to the lane's {@link ApplyThread}, with knowledge-only (latest-wins with both
 * lanes on; ARCHITECTURE.md, "latest-wins: the build plan", <em>Knowledge-only and the restart</em>).
 *
 * <p>A hand-over waits while the apply queue is full ({@code read-ahead} row changes), except when the reverse lane's
 * barrier waits for a captured position this capture has not reached ({@link CaptureKnowledge#demanded}): then the
 * run goes knowledge-only. The batch is dropped, and so is every later one (a batch queued after a dropped one would
 * leave a gap): capture reads on only to record knowledge and the captured position, and only while such a waiter
 * waits ({@link #readOn}). Once the apply thread applied (and acknowledged) everything queued before, the run asks for
 * its engine's restart from the stored offset, on a thread of its own (closing an engine from its handler thread
 * deadlocks); the restart reads the dropped changes again. Without knowledge (every other policy, one-way sync) a
 * hand-over just waits.
 *
 * <p>Capture's handler thread calls {@link #handOver} and {@link #readOn}; {@link #end} may come from any thread.
 */
final class ReadAhead {
    private final ApplyThread applier;
    private final CaptureKnowledge knowledge;
    private final LongConsumer onKnowledgeOnly;
    private final Consumer<ReadAhead> restart;
    private final String laneName;
    private volatile boolean knowledgeOnly;
    private volatile boolean ended;
    private volatile boolean restarting;

    /**
     * @param applier this run's apply thread
     * @param knowledge the lane's capture knowledge, or {@code null}: no knowledge-only
     * @param onKnowledgeOnly told, on the handler thread, when the run goes knowledge-only, with the demanded position
     * @param restart given this run once, on a thread of its own, when everything queued before knowledge-only is
     *     applied
     */
    ReadAhead(String laneName, ApplyThread applier, CaptureKnowledge knowledge, LongConsumer onKnowledgeOnly,
            Consumer<ReadAhead> restart) {
        this.laneName = laneName;
        this.applier = applier;
        this.knowledge = knowledge;
        this.onKnowledgeOnly = onKnowledgeOnly;
        this.restart = restart;
    }

    /**
     * Hands {@code batch} to the apply thread, waiting while its queue is full, or drops it (knowledge-only).
     *
     * @return the batch's sequence number, or -1 when it was dropped
     */
    long handOver(CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        if (knowledgeOnly) {
            return -1;
        }
        if (knowledge == null) {
            return applier.handOver(batch, records, committer);
        }
        long seq = applier.offer(batch, records, committer, () -> knowledge.demanded() != SourcePositions.NONE);
        if (seq < 0) {
            knowledgeOnly = true;
            onKnowledgeOnly.accept(knowledge.demanded());
            applier.closeQueue(() -> {
                Thread t = new Thread(() -> restart.accept(this), "graybridge-restart-" + laneName);
                t.setDaemon(true);
                t.start();
            });
        }
        return seq;
    }

    /** Whether this run went knowledge-only: nothing more is queued, records are read for knowledge only. */
    boolean knowledgeOnly() {
        return knowledgeOnly;
    }

    /**
     * In knowledge-only, before each record: whether to read it. Capture reads on only while the reverse lane's
     * barrier waits for a position it has not reached; otherwise this waits (polling every 100 ms) until such a waiter
     * comes, or the run ends ({@link #end}, or a failed batch), when it answers {@code false}. Outside knowledge-only
     * always {@code true}.
     */
    boolean readOn() throws InterruptedException {
        while (knowledgeOnly) {
            if (ended || applier.failure() != null) {
                return false;
            }
            if (knowledge.demanded() != SourcePositions.NONE) {
                return true;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The run ends (a restart or the lane's stop): a knowledge-only wait in {@link #readOn} ends. */
    void end() {
        ended = true;
    }

    /** The run ends for a restart: as {@link #end}, and its engine's end is not the lane's. */
    void endForRestart() {
        restarting = true;
        ended = true;
    }

    /** Whether the run ended for a restart ({@link #endForRestart}). */
    boolean restarting() {
        return restarting;
    }
}
