package io.graybridge.bench.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples this JVM's memory every 250 ms while a section runs: heap in use, heap in use after the last
 * collection (the live data: what grows if something leaks) and the resident set size.
 *
 * <p>"Flat" compares the live heap of the last quarter of the run with the first quarter: the
 * difference must stay under 64 MiB or 25%, whichever is larger. The bridge holds at most a few batches
 * at a time, so its live heap should not follow the number of events.
 */
final class MemoryProbe implements AutoCloseable {
    private static final long MIB = 1024 * 1024;

    private final List<long[]> samples = new ArrayList<>(); // {heapUsed, liveHeap, rss}
    private final Thread thread;
    private volatile boolean running = true;

    private MemoryProbe() {
        thread = new Thread(this::loop, "bench-memory-probe");
        thread.setDaemon(true);
    }

    static MemoryProbe start() {
        MemoryProbe p = new MemoryProbe();
        p.thread.start();
        return p;
    }

    private void loop() {
        while (running) {
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long live = liveHeap();
            long rss = statusField("VmRSS");
            synchronized (samples) {
                samples.add(new long[] {heap, live, rss});
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Heap in use after the most recent collection, summed over the heap pools that report it. */
    private static long liveHeap() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage after = pool.getCollectionUsage();
                if (after != null) {
                    total += after.getUsed();
                }
            }
        }
        return total;
    }

    /** A field of /proc/self/status in bytes, or -1 off Linux. */
    static long statusField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** What the samples show. */
    record Summary(int samples, long peakHeapMiB, long liveHeapFirstMiB, long liveHeapLastMiB, long peakRssMiB,
            boolean flat) {}

    Summary summary() {
        List<long[]> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        if (copy.isEmpty()) {
            return new Summary(0, 0, 0, 0, 0, true);
        }
        long peakHeap = copy.stream().mapToLong(s -> s[0]).max().orElse(0);
        long peakRss = Math.max(copy.stream().mapToLong(s -> s[2]).max().orElse(0), statusField("VmHWM"));
        int quarter = Math.max(1, copy.size() / 4);
        long first = average(copy.subList(0, quarter));
        long last = average(copy.subList(copy.size() - quarter, copy.size()));
        boolean flat = last - first <= Math.max(64 * MIB, first / 4);
        return new Summary(copy.size(), peakHeap / MIB, first / MIB, last / MIB, peakRss / MIB, flat);
    }

    private static long average(List<long[]> part) {
        return (long) part.stream().mapToLong(s -> s[1]).average().orElse(0);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
