package io.graybridge.bridge.lane;

import java.time.Duration;
import java.util.Arrays;

/**
 * Every lag sample a lane ever recorded, in fixed buckets: exact milliseconds below 100 ms, then
 * buckets 5% wide up to about a day. Fixed size, so memory stays flat however long the lane runs, and two
 * snapshots subtract to the lags of the changes in between (a benchmark step, a metrics scrape).
 *
 * <p>Thread-safe: the lane records under the histogram's lock; readers take a {@link Snapshot}.
 */
public final class LagHistogram {
    private static final int EXACT = 100;
    private static final double GROWTH = 1.05;
    private static final int BUCKETS = EXACT + (int) Math.ceil(Math.log(86_400_000.0 / EXACT) / Math.log(GROWTH)) + 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /** Adds one sample. */
    public synchronized void record(long lagMillis) {
        counts[bucket(lagMillis)]++;
        total++;
        max = Math.max(max, lagMillis);
    }

    /** A copy of the counts so far. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(counts.clone(), total, max);
    }

    static int bucket(long millis) {
        if (millis < EXACT) {
            return (int) Math.max(0, millis);
        }
        int i = EXACT + (int) Math.floor(Math.log((double) millis / EXACT) / Math.log(GROWTH));
        return Math.min(BUCKETS - 1, i);
    }

    /** The smallest lag in milliseconds that falls into bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < EXACT) {
            return i;
        }
        return (long) Math.ceil(EXACT * Math.pow(GROWTH, i - EXACT));
    }

    /**
     * Lag counts at one moment.
     *
     * @param counts samples per bucket
     * @param count all samples
     * @param maxMillis the largest sample ever recorded (not narrowed by {@link #minus})
     */
    public record Snapshot(long[] counts, long count, long maxMillis) {
        /** The samples recorded after {@code earlier} was taken. */
        public Snapshot minus(Snapshot earlier) {
            long[] out = counts.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] -= earlier.counts[i];
            }
            long top = 0;
            for (int i = out.length - 1; i >= 0; i--) {
                if (out[i] > 0) {
                    top = i == out.length - 1 ? maxMillis : lowerBound(i + 1) - 1;
                    break;
                }
            }
            return new Snapshot(out, count - earlier.count, Math.min(top, maxMillis));
        }

        /**
         * The lag below which {@code percentile}% of the samples fall, to the bucket's precision (exact
         * under 100 ms, within 5% above); {@link Duration#ZERO} without samples.
         */
        public Duration percentile(double percentile) {
            if (count == 0) {
                return Duration.ZERO;
            }
            long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return Duration.ofMillis(Math.min(maxMillis, i + 1 < counts.length ? lowerBound(i + 1) - 1 : maxMillis));
                }
            }
            return Duration.ofMillis(maxMillis);
        }

        /** The largest sample (to bucket precision after {@link #minus}). */
        public Duration max() {
            return Duration.ofMillis(maxMillis);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.count == count && s.maxMillis == maxMillis && Arrays.equals(s.counts, counts);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(counts) + Long.hashCode(count);
        }

        @Override
        public String toString() {
            return "LagHistogram.Snapshot[count=" + count + ", max=" + maxMillis + " ms]";
        }
    }
}
