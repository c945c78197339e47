package io.graybridge.reconcile;

import java.util.Objects;

/**
 * How {@link TableComparator} compares a table.
 *
 * @param strategy which path to take ({@link Strategy#AUTO}: pushdown where the mapping allows)
 * @param sampleLimit at most this many differences are kept in {@link TableComparison#differences()}
 * @param chunkRows rows per keyset chunk (slow path reads) and per checksum chunk (pushdown)
 * @param leafRows a differing pushdown chunk of at most this many v1 rows is compared row by row;
 *     larger ones are split into 16 sub-chunks, each checked again
 * @param equivalence when two values count as the same
 * @param listener told of every difference (for repair); {@link DifferenceListener#NONE} when unused
 * @param progress told how far the comparison got
 */
public record CompareOptions(
        Strategy strategy,
        int sampleLimit,
        int chunkRows,
        int leafRows,
        Equivalence equivalence,
        DifferenceListener listener,
        ProgressListener progress) {

    public CompareOptions {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(equivalence, "equivalence");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(progress, "progress");
        if (sampleLimit < 0 || chunkRows < 1 || leafRows < 1) {
            throw new IllegalArgumentException("sampleLimit >= 0, chunkRows >= 1 and leafRows >= 1");
        }
    }

    public enum Strategy {
        /** Pushdown when every rule of the mapping can be written in SQL on both sides, else slow. */
        AUTO,
        /** Pushdown, or fail naming the rule that cannot be pushed down. */
        PUSHDOWN,
        /** Read and compare every row in Java. */
        SLOW
    }

    /** Automatic path, 10 samples, chunks of 10,000 rows, leaves of 1,000, strict equivalence. */
    public static CompareOptions defaults() {
        return new CompareOptions(Strategy.AUTO, 10, 10_000, 1_000, Equivalence.STRICT, DifferenceListener.NONE,
                ProgressListener.NONE);
    }

    public CompareOptions withStrategy(Strategy value) {
        return new CompareOptions(value, sampleLimit, chunkRows, leafRows, equivalence, listener, progress);
    }

    public CompareOptions withSampleLimit(int value) {
        return new CompareOptions(strategy, value, chunkRows, leafRows, equivalence, listener, progress);
    }

    public CompareOptions withChunks(int chunk, int leaf) {
        return new CompareOptions(strategy, sampleLimit, chunk, leaf, equivalence, listener, progress);
    }

    public CompareOptions withEquivalence(Equivalence value) {
        return new CompareOptions(strategy, sampleLimit, chunkRows, leafRows, value, listener, progress);
    }

    public CompareOptions withListener(DifferenceListener value) {
        return new CompareOptions(strategy, sampleLimit, chunkRows, leafRows, equivalence, value, progress);
    }

    public CompareOptions withProgress(ProgressListener value) {
        return new CompareOptions(strategy, sampleLimit, chunkRows, leafRows, equivalence, listener, value);
    }
}
