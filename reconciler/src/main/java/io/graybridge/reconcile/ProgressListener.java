package io.graybridge.reconcile;

/** Told how far a comparison got, every chunk. Called on the comparing thread; must be quick. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (rows, path) -> {};

    /**
     * @param v1RowsDone v1 rows compared so far (in key order)
     * @param path the path in use
     */
    void onProgress(long v1RowsDone, ComparePath path);

    /**
     * Told when the pushdown path starts a step that reports no rows until it ends; while it runs,
     * {@link #onProgress} is called about every second with the rows done before it.
     */
    default void onPhase(Phase phase) {}

    /** The steps of the pushdown path. */
    enum Phase {
        /** One count and checksum of the whole table per side (both at once): equal means clean, done. */
        WHOLE_RANGE("checksum of the whole table on both sides"),
        /** Chunk checksums, then the differing chunks' rows (first, and again when a whole-range check differed). */
        CHUNKS("chunk checksums");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        /** What the step does, for a progress line. */
        public String description() {
            return description;
        }
    }
}
