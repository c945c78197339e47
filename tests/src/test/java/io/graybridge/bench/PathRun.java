package io.graybridge.bench;

import io.graybridge.reconcile.TableComparison;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One timed run of a reconciler path for the reconciler benchmarks (PostgreSQL and MariaDB): its seconds, the
 * differences it found, and the peak heap while it ran (sampled every 5 ms after a full GC).
 *
 * @param seconds wall time of the run
 * @param differences differences found, or -1 when the path does not count them
 * @param peakHeapBytes most heap in use while it ran
 */
record PathRun(double seconds, long differences, long peakHeapBytes) {

    /** Runs {@code work} (returning {@code {ignored, differences}}) and measures it. */
    static PathRun measure(Supplier<long[]> work) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        long[] result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        return new PathRun(seconds, result[1], peak.get());
    }

    /** The report line of this run: level, path, seconds, rows/s, differences, peak heap. */
    String line(String level, String path, int rows) {
        return String.format(Locale.ROOT, "%-6s %-22s %10.2f %12s %14s %7d MB", level, path, seconds,
                String.format(Locale.ROOT, "%,.0f", rows / seconds),
                differences < 0 ? "-" : String.format(Locale.ROOT, "%,d", differences), peakHeapBytes >> 20);
    }

    /** What a comparison's {@code work} returns: the differences it found. */
    static long[] differences(TableComparison r) {
        return new long[] {0, r.missingOnV2() + r.extraOnV2() + r.mismatched()};
    }
}
