package io.graybridge.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.it.support.PgServer;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's benchmark suite in one command ({@code bash tests/benchmark}, see README.md "Benchmarks"):
 * apply ceiling, capture ceiling with memory, sustained end-to-end lag, each beside its baselines from the
 * same run on the same machine. Prints a table and writes {@code results.md}, {@code results.json} and
 * {@code results.txt} under {@code tests/results/<time>/} (and {@code tests/results/latest/}).
 *
 * <p>Not a test: its name matches neither {@code *Test} nor {@code *IT}, so {@code mvn verify} never runs
 * it; {@link BenchmarkSuiteIT} runs the smoke profile in CI to prove the harness works. No figure here
 * fails a build: the goals are reported, met or missed.
 */
class BenchmarkSuite {

    @Test
    void measure() throws Exception {
        Path dir = run(BenchOptions.fromSystemProperties());
        assertThat(dir.resolve("results.json")).exists();
    }

    /** Runs the sections {@code options} names and returns the folder the results were written to. */
    static Path run(BenchOptions options) throws Exception {
        String command = "bash tests/benchmark" + (options.profile().equals("default") ? "" : " --" + options.profile());
        Report report = new Report(machine(options), command);
        if (options.runs("apply")) {
            progress("apply ceiling (" + options.applyRows() + " rows x " + (options.batchSizes().size() + 1)
                    + " runs + naive " + options.naiveRows() + ")");
            new ApplyBench(options).run(report);
        }
        if (options.runs("capture")) {
            progress("capture ceiling and memory (" + options.captureChanges() + " changes x 3 consumers)");
            new CaptureBench(options).run(report);
        }
        if (options.runs("sustained")) {
            progress("sustained end to end (" + options.steps() + " changes/s, " + options.stepSeconds()
                    + " s each, one-way then two-way)");
            new SustainedBench(options).run(report);
        }
        String text = report.text();
        System.out.println();
        System.out.println(text);
        Path results = RepoPaths.root().resolve("tests").resolve("results");
        Path dir = results.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + options.profile());
        report.write(dir);
        report.write(results.resolve("latest-" + options.profile()));
        System.out.println("results: " + dir);
        return dir;
    }

    /**
     * Failsafe keeps a suite's output until it ends, so progress also goes to
     * {@code tests/target/benchmark-progress.log}, which {@code tests/benchmark} follows.
     */
    static void progress(String what) {
        String line = "[bench " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + what;
        System.out.println(line);
        try {
            Path log = RepoPaths.root().resolve("tests").resolve("target").resolve("benchmark-progress.log");
            Files.createDirectories(log.getParent());
            Files.writeString(log, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // progress is a courtesy; the results are written at the end regardless
        }
    }

    static Map<String, Object> machine(BenchOptions options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", options.profile());
        m.put("date", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", memory());
        m.put("cpu", cpuModel());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("postgresql", postgresVersion());
        m.put("load avg at start", loadAverage());
        return m;
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String postgresVersion() {
        PgServer pg = TestDatabases.postgres();
        try (Connection c = pg.connect(pg.adminDatabase()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('synchronous_commit'),"
                        + " current_setting('shared_buffers')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + " (" + pg.description() + ", synchronous_commit=" + rs.getString(2)
                    + ", shared_buffers=" + rs.getString(3) + ")";
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
