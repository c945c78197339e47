package io.graybridge.bridge.capture;

/** Where capture delivers each batch. Returning normally means the batch and its offsets are durable. */
@FunctionalInterface
public interface BatchSink {
    /**
     * Applies {@code batch} durably (rows and offsets in one target transaction) or throws. Capture
     * acknowledges the batch to Debezium only after this returns.
     */
    void accept(CapturedBatch batch) throws InterruptedException;
}
