package io.graybridge.reconcile;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one mapped table compares between the sides, after translating v1 rows forward.
 *
 * @param mapping the mapping's name
 * @param v1Rows rows read on v1
 * @param v2Rows rows read on v2
 * @param matched keys present on both sides with equal values
 * @param missingOnV2 keys present on v1 only
 * @param extraOnV2 keys present on v2 only
 * @param mismatched keys present on both sides with a differing value
 * @param mismatchedColumns for each differing column (v2 name), on how many keys it differs
 * @param samples up to the requested number of differing keys, each with what differs, as text
 * @param took how long the comparison took
 * @param path how the table was compared
 * @param pathNote why the slow path was taken when pushdown was possible in principle; empty otherwise
 * @param differences the same differences as {@code samples}, with both rows, for reports
 */
public record TableComparison(
        String mapping,
        long v1Rows,
        long v2Rows,
        long matched,
        long missingOnV2,
        long extraOnV2,
        long mismatched,
        Map<String, Long> mismatchedColumns,
        List<String> samples,
        Duration took,
        ComparePath path,
        String pathNote,
        List<Difference> differences) {

    public TableComparison {
        mismatchedColumns = Map.copyOf(mismatchedColumns);
        samples = List.copyOf(samples);
        differences = List.copyOf(differences);
        pathNote = pathNote == null ? "" : pathNote;
    }

    /** No key missing, extra or different. */
    public boolean clean() {
        return missingOnV2 == 0 && extraOnV2 == 0 && mismatched == 0;
    }

    /** Keys compared: every key seen on either side. */
    public long compared() {
        return matched + missingOnV2 + extraOnV2 + mismatched;
    }

    /** Keys compared per second of {@link #took()}. */
    public double rowsPerSecond() {
        double seconds = took.toNanos() / 1e9;
        return seconds <= 0 ? 0 : compared() / seconds;
    }
}
