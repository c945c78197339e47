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
}
