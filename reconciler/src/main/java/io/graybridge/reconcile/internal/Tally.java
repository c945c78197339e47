package io.graybridge.reconcile.internal;

import io.graybridge.reconcile.ComparePath;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.TableComparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts what a comparison found, keeps the first samples and passes every difference on. */
final class Tally {
    private final CompareOptions options;
    private final Map<String, Long> byColumn = new TreeMap<>();
    private final List<Difference> samples = new ArrayList<>();
    long v1Rows;
    long v2Rows;
    long matched;
    long missing;
    long extra;
    long mismatched;

    Tally(CompareOptions options) {
        this.options = options;
    }

    void record(Difference d) {
        switch (d.kind()) {
            case MISSING_ON_V2 -> missing++;
            case EXTRA_ON_V2 -> extra++;
            case MISMATCHED -> {
                mismatched++;
                d.columns().forEach(c -> byColumn.merge(c, 1L, Long::sum));
            }
        }
        if (samples.size() < options.sampleLimit()) {
            samples.add(d);
        }
        options.listener().onDifference(d);
    }

    TableComparison result(String mapping, long startNanos, ComparePath path, String note) {
        return new TableComparison(mapping, v1Rows, v2Rows, matched, missing, extra, mismatched, byColumn,
                samples.stream().map(Difference::describe).toList(), Duration.ofNanos(System.nanoTime() - startNanos),
                path, note, samples);
    }
}
