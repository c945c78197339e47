package io.graybridge.it.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and load figures from {@code /proc} (Linux), for benchmarks that print them beside throughput. */
public final class ProcCpu {
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ProcCpu() {}

    /** User and system CPU seconds of process {@code pid} so far, or NaN when unreadable. */
    public static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS; // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds so far of this JVM's threads whose kernel name ({@code /proc/self/task/<tid>/comm}, the first 15
     * characters of the thread's name) starts with one of {@code prefixes}: the JVM's own threads (garbage collector,
     * JIT compilers) that {@link java.lang.management.ThreadMXBean} does not list. Threads that ended are not counted.
     */
    public static double threadSeconds(java.util.List<String> prefixes) {
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (prefixes.stream().anyMatch(name::startsWith)) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    /** CPU seconds of this JVM so far. */
    public static double self() {
        return seconds(ProcessHandle.current().pid());
    }

    /** The 1-minute load average. */
    public static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
