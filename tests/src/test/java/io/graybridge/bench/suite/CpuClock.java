package io.graybridge.bench.suite;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by this JVM (the bridge's side) and by the local PostgreSQL server, read together so a
 * section can report CPU seconds beside wall time.
 *
 * <p>The server's figure sums user and system time of every live process named {@code postgres} plus the
 * reaped children of the postmaster (backends that exited), from {@code /proc}; it is only known when the
 * server runs on this machine (Linux). Everything the server does in the interval counts: checkpoints,
 * WAL writing and other databases' work too, so run the suite on an otherwise quiet server.
 */
final class CpuClock {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private CpuClock() {}

    /** A reading of both clocks. */
    record Reading(long jvmNanos, long serverTicks) {
        /** Seconds of CPU spent by this JVM since {@code earlier}. */
        double jvmSecondsSince(Reading earlier) {
            return (jvmNanos - earlier.jvmNanos) / 1e9;
        }

        /** Seconds of CPU spent by the server since {@code earlier}, or NaN when it is not readable here. */
        double serverSecondsSince(Reading earlier) {
            if (serverTicks < 0 || earlier.serverTicks < 0) {
                return Double.NaN;
            }
            return (double) (serverTicks - earlier.serverTicks) / TICKS_PER_SECOND;
        }
    }

    static Reading read() {
        return new Reading(jvmCpuNanos(), serverTicks());
    }

    static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** utime+stime of live postgres processes plus cutime+cstime of the postmaster, in clock ticks; -1 if unknown. */
    static long serverTicks() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return -1;
        }
        long total = 0;
        boolean found = false;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException | SecurityException e) {
                    continue; // the process ended while we looked
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                // fields after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
                long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                boolean postmaster = !"postgres".equals(parentName(f[1]));
                total += own + (postmaster ? Long.parseLong(f[13]) + Long.parseLong(f[14]) : 0);
                found = true;
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? total : -1;
    }

    private static String parentName(String ppid) {
        try {
            String comm = Files.readString(Path.of("/proc", ppid, "comm")).trim();
            return comm;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
