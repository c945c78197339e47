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
 * @param mismatchedColumns for each differing column, on how many keys it differs
 * @param samples up to the requested number of differing keys, each with what differs
 * @param took how long the comparison took
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
        Duration took) {

    public TableComparison {
        mismatchedColumns = Map.copyOf(mismatchedColumns);
        samples = List.copyOf(samples);
    }

    /** No key missing, extra or different. */
    public boolean clean() {
        return missingOnV2 == 0 && extraOnV2 == 0 && mismatched == 0;
    }
}
