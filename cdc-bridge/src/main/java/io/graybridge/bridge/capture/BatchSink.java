package io.graybridge.bridge.capture;

/** Where capture delivers each batch. Returning normally means the batch and its offsets are durable. */
@FunctionalInterface
public interface BatchSink {
    /**
     * Applies {@code batch} durably (rows and offsets in one target transaction) or throws. Capture
     * acknowledges the batch to Debezium only after this returns.
     */
    void accept(CapturedBatch batch) throws InterruptedException;

    /**
     * Capture began knowledge-only (latest-wins with both lanes on): it queues nothing more in this engine run and
     * restarts its engine once the batches queued before are applied. Called on capture's thread. Does nothing by
     * default.
     */
    default void knowledgeOnly() {}

    /**
     * Capture restarts its engine from the stored offset after knowledge-only: everything queued before was applied,
     * and what was applied without storing a position (chunks of an unfinished source transaction, counters of echoes)
     * is captured and handed over again. Called on the restarting thread, between the apply thread of the ended run
     * and the next one. Does nothing by default.
     */
    default void restarting() {}
}
