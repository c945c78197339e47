package io.graybridge.reconcile;

import java.util.Locale;

/** How a table was compared. */
public enum ComparePath {
    /**
     * Chunk checksums computed inside both databases over a canonical text form of the mapped columns;
     * rows travel only for chunks whose checksums differ, found by bisection.
     */
    PUSHDOWN,
    /** Every row of both sides read in key order, translated in Java and compared by a merge join. */
    SLOW;

    /** {@code pushdown} or {@code slow}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
