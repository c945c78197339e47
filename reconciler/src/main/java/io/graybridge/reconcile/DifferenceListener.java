package io.graybridge.reconcile;

/**
 * Receives every difference a comparison finds, in key order, as it finds it (not only the samples), so
 * that a caller can act on all of them (repair) without the comparison holding them in memory.
 *
 * <p>Called on the comparing thread. When it writes to a side, it may only touch keys up to the one it
 * was given: the comparison has finished with those, and reads keys after them later.
 */
@FunctionalInterface
public interface DifferenceListener {
    DifferenceListener NONE = d -> {};

    void onDifference(Difference difference);
}
