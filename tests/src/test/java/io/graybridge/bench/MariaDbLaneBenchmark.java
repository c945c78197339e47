package io.graybridge.bench;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The v1-to-v2 lane's start-up and apply rate with a MariaDB side (issue 5), beside PostgreSQL -> PostgreSQL
 * measured in the same run: for each engine pair, with 1,000 customers backfilled,
 *
 * <ul>
 *   <li><b>start</b>: seconds from {@code bridge.start()} until the lane streams (snapshot included), first run
 *       and resumed run;
 *   <li><b>live</b>: one connection on v1 commits {@code gb.bench.changes} single-row UPDATE transactions as fast
 *       as it can while the lane streams; made/s, and applied/s until the lane applied them all; then the seconds
 *       {@code bridge.close()} takes;
 *   <li><b>backlog</b>: the same number of transactions made while the bridge is stopped, then drained after a
 *       restart: applied/s from the first to the last applied change.
 * </ul>
 *
 * Changes per batch (target transactions) are printed too. Two warm-up rows come first (MariaDB -> MariaDB and
 * PostgreSQL -> PostgreSQL, 200 changes): the first lane of an engine in a JVM loads and compiles Debezium's connector,
 * which the bridge's own process pays at every start. Not a test (its name matches neither {@code *Test} nor
 * {@code *IT}); run it with {@code -Dit.test=MariaDbLaneBenchmark} (docs/benchmarks.md, "MariaDB lane"). Settings:
 * {@code gb.bench.changes} (default 3,000), {@code gb.bench.pairs} (e.g. {@code mm,mp,pm,pp}: m = MariaDB,
 * p = PostgreSQL, v1 first), {@code gb.bench.laneSettings} (YAML for the lane, e.g.
 * {@code "batch-size: 200"}), {@code gb.bench.noWarmup}, {@code gb.bench.debeziumLog} (Debezium's log level, e.g. {@code INFO}, to see its
 * snapshot steps). The report is printed and written to {@code tests/target/benchmark-mariadb-lane.txt}.
 */
class MariaDbLaneBenchmark {
    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        int changes = Integer.getInteger("gb.bench.changes", 3000);
        String debeziumLog = System.getProperty("gb.bench.debeziumLog");
        if (debeziumLog != null) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.debezium"))
                    .setLevel(ch.qos.logback.classic.Level.toLevel(debeziumLog));
        }
        String laneSettings = System.getProperty("gb.bench.laneSettings", "");
        List<Engines> pairs = new ArrayList<>();
        for (String p : System.getProperty("gb.bench.pairs", "mm,mp,pm,pp").split(",")) {
            pairs.add(new Engines(engine(p.charAt(0)), engine(p.charAt(1))));
        }
        line("GrayBridge lane benchmark (issue 5): v1-to-v2, %,d single-row UPDATE transactions per phase, lane"
                + " settings '%s', %d cores, load average %s", changes, laneSettings,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        line("");
        line("%-42s %9s %9s %9s %9s %9s %9s %11s %9s", "pair", "start s", "made/s", "live/s", "per batch",
                "stop s", "resume s", "backlog/s", "per batch");
        try {
            if (!Boolean.getBoolean("gb.bench.noWarmup")) {
                // the first lane of each engine in a JVM loads and compiles Debezium's connector (and its DDL parser)
                measure("cold JVM: ", new Engines(Engine.MARIADB, Engine.MARIADB), 200, laneSettings);
                measure("cold JVM: ", new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), 200, laneSettings);
            }
            for (Engines engines : pairs) {
                measure("", engines, changes, laneSettings);
            }
            line("");
            line("cold JVM = the first lane of its engine in this JVM, 200 changes (warm-up; off with"
                    + " -Dgb.bench.noWarmup=true). start = bridge.start() until the lane streams (1,000-row snapshot"
                    + " included); resume = the same on restart; stop = bridge.close() once the live changes are"
                    + " applied. live/s = changes / (first write to last applied); backlog/s = changes / (first to last"
                    + " applied after the restart). per batch = changes per target transaction. Load average at end %s.",
                    loadAverage());
        } finally {
            Path out = RepoPaths.root().resolve("tests/target/benchmark-mariadb-lane.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    private void measure(String label, Engines engines, int changes, String laneSettings) throws Exception {
        try (EngineShop shop = EngineShop.create("lbench", engines)) {
            shop.insertCustomers(1, 1000);
            String lane = laneSettings.isBlank() ? "" : "    " + laneSettings.trim().replace("\n", "\n    ") + "\n";
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(false, "", lane), shop.env());
            double start;
            double made;
            double live;
            double liveBatch;
            double stop;
            Bridge bridge = Bridge.open(cfg);
            boolean closed = false;
            try {
                long t0 = System.nanoTime();
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                awaitStreaming(forward);
                start = (System.nanoTime() - t0) / 1e9;
                long batches0 = forward.stats().batches();
                long w0 = System.nanoTime();
                write(shop, changes, 0);
                made = changes / ((System.nanoTime() - w0) / 1e9);
                awaitApplied(forward, changes);
                live = changes / ((System.nanoTime() - w0) / 1e9);
                liveBatch = (double) changes / Math.max(1, forward.stats().batches() - batches0);
                long s0 = System.nanoTime();
                bridge.close();
                closed = true;
                stop = (System.nanoTime() - s0) / 1e9;
            } finally {
                if (!closed) {
                    bridge.close();
                }
            }
            write(shop, changes, 1);
            String resumed;
            try (Bridge restarted = Bridge.open(cfg)) {
                long t0 = System.nanoTime();
                restarted.start();
                Lane forward = restarted.lane(Direction.FORWARD).orElseThrow();
                while (forward.stats().streamedChanges() == 0) {
                    check(forward, t0);
                    Thread.sleep(2);
                }
                long first = System.nanoTime();
                long firstApplied = forward.stats().streamedChanges();
                awaitStreaming(forward);
                double resume = (System.nanoTime() - t0) / 1e9;
                awaitApplied(forward, changes);
                double backlog = (changes - firstApplied) / ((System.nanoTime() - first) / 1e9);
                double backlogBatch = (double) changes / Math.max(1, forward.stats().batches());
                resumed = String.format(Locale.ROOT, "%9.2f %,11.0f %9.1f", resume, backlog, backlogBatch);
            } catch (IllegalStateException e) {
                resumed = "restart failed: " + e.getMessage();
            }
            line("%-42s %9.2f %,9.0f %,9.0f %9.1f %9.2f %s", label + engines, start, made, live, liveBatch, stop,
                    resumed);
        }
    }

    /** {@code n} single-row autocommit UPDATE transactions on v1's customers (ids 1..1000 in turn). */
    private static void write(EngineShop shop, int n, int round) throws Exception {
        String sql = "UPDATE " + shop.table(Side.V1, "customers") + " SET balance_cents = ? WHERE id = ?";
        try (Connection c = shop.connect(Side.V1); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, 1_000_000L * (round + 1) + i);
                ps.setLong(2, 1 + i % 1000);
                ps.executeUpdate();
            }
        }
    }

    private static void awaitStreaming(Lane lane) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!lane.isStreaming()) {
            check(lane, t0);
            Thread.sleep(5);
        }
    }

    private static void awaitApplied(Lane lane, long n) throws InterruptedException {
        long t0 = System.nanoTime();
        while (lane.stats().streamedChanges() < n) {
            check(lane, t0);
            Thread.sleep(2);
        }
    }

    private static void check(Lane lane, long since) {
        if (lane.state() != Lane.State.RUNNING) {
            throw new IllegalStateException("lane " + lane.name() + " is " + lane.state() + ": " + lane.failure());
        }
        if (System.nanoTime() - since > 600_000_000_000L) {
            throw new IllegalStateException("lane " + lane.name() + " made no progress in 600 s: applied "
                    + lane.stats().streamedChanges());
        }
    }

    private static Engine engine(char c) {
        return c == 'm' ? Engine.MARIADB : Engine.POSTGRESQL;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
