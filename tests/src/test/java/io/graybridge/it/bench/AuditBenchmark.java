package io.graybridge.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.KafkaProcess;
import io.graybridge.it.support.ProcCpu;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's cost (issue 7's benchmark): lane throughput with audit off and on, in the same run on
 * the same data, the CPU each costs, and the relay's drain rate after a Kafka outage.
 *
 * <p>Each run measures catch-up throughput, the lane's ceiling: the bridge is stopped, v1 makes
 * {@code gb.bench.changes} single-row updates in transactions of 10, then the bridge starts and the clock
 * runs from the first applied change to the last. First {@code gb.bench.warmupPairs} pairs of runs (default 2,
 * printed as warm-up and not counted) warm the JIT, the caches and the topics in both modes: without them the
 * first measured runs measured the warm-up (audit off rose from 19,758 to 38,050 changes/s within one run). Then
 * {@code gb.bench.pairs} pairs of runs alternate off/on and on/off (ABBA, so a drift of the machine's load hits
 * both modes alike); the figures are medians with their spread, and the cost of each pair. Every run starts after
 * a full garbage collection, so no run pays for the garbage of the one before. The broker runs in a JVM of its own ({@link KafkaProcess}), so this JVM's CPU is the bridge's (lane
 * and relay) and the broker's is counted apart: CPU per 1,000 changes, counted until the lane caught up and
 * the relay drained the outbox; the tail from the lane's catch-up to an empty outbox is printed too, with the
 * throughput until both are done (a relay that publishes after the lane would not show in the lane's clock). Each run
 * also splits the bridge's CPU by thread: the relay's own thread, the lane's apply thread (the writer's transaction,
 * outbox insert included), its capture threads, the JVM's JIT compiler threads and its garbage collector threads (from
 * {@code /proc/self/task}), so an audit cost can be placed without wall-clock figures on a shared machine. A last run
 * has audit on with Kafka stopped (the outbox takes everything),
 * then Kafka starts and the relay's drain is timed. The load average is printed, since the machine may be
 * shared.
 *
 * <p>Not a test (its name matches neither {@code *Test} nor {@code *IT}). Run: {@code source .ci/env.sh &&
 * mvn -B -q verify -pl tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AuditBenchmark
 * -Dgb.bench.changes=8000 -Dgb.bench.pairs=4}; the table is also written to {@code tests/target/benchmark-audit.txt}.
 */
class AuditBenchmark {
    private static final int ROWS = 5_000;

    /** One run's figures. */
    private record Figures(double rate, double seconds, double tail, double bridgeCpu, double relayCpu, double brokerCpu,
            double pgCpu, double load, double relayThreadCpu, double applyCpu, double captureCpu, double jitCpu, double gcCpu) {
        /** Changes per second until the lane caught up <em>and</em> the outbox was empty. */
        double drainedRate() {
            return rate * seconds / (seconds + tail);
        }
    }

    /** Names of the bridge's threads that publish the audit trail: the relay and its Kafka producer's sender. */
    private static final List<String> RELAY_THREADS = List.of("graybridge-audit-relay-", "kafka-producer-network-thread");
    /** The relay's own thread: reading the outbox, rendering, handing records to the producer, deleting. */
    private static final List<String> RELAY_THREAD = List.of("graybridge-audit-relay-");
    /** The lane's apply thread: the target transaction, where the writer encodes the facts and inserts the outbox row. */
    private static final List<String> APPLY_THREAD = List.of("graybridge-apply-");
    /** The lane's capture threads: Debezium's engine and the bridge's capture pool. */
    private static final List<String> CAPTURE_THREADS = List.of("graybridge-capture-", "debezium-");
    /** The JVM's JIT compiler threads, by their kernel names (ThreadMXBean does not list them). */
    private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");
    /** The JVM's garbage collector threads and its VM thread (safepoints), by their kernel names. */
    private static final List<String> GC_THREADS = List.of("GC Thread", "G1 ", "VM Thread");

    @Test
    void measureLaneThroughputWithAuditOffAndOnAndTheRelaysDrainRate() throws Exception {
        int changes = Integer.getInteger("gb.bench.changes", 8_000);
        int pairs = Integer.getInteger("gb.bench.pairs", 4);
        int warmupPairs = Integer.getInteger("gb.bench.warmupPairs", 2);
        long started = System.nanoTime();
        // the broker stands in for one on its own machine: lowest CPU priority, so it takes only what the bridge and
        // PostgreSQL leave idle (its CPU is still counted and printed); -Dgb.bench.brokerNice=0 shares the CPU evenly
        int brokerNice = Integer.getInteger("gb.bench.brokerNice", 19);
        List<String> lines = new ArrayList<>();
        double loadAtStart = ProcCpu.load();
        try (KafkaProcess kafka = KafkaProcess.start(RepoPaths.root().resolve("tests/target"), brokerNice);
                ShopFixture shop = ShopFixture.create("benchaudit")) {
            lines.add(String.format(Locale.ROOT, "GrayBridge audit benchmark: %,d changes per run (single-row updates, 10 per"
                    + " transaction), catch-up throughput, %d warm-up pairs (not counted) then %d pairs of runs (ABBA), broker in"
                    + " its own JVM (pid %d, nice %d), %d cores, Java %s, load average %.1f at start", changes, warmupPairs,
                    pairs, kafka.pid(), brokerNice,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAtStart));
            lines.add(String.format(Locale.ROOT, "%-26s %10s %8s %7s %14s %14s %14s %14s %6s  %s", "run", "changes/s", "seconds",
                    "tail s", "bridge CPU ms", "of it relay", "broker CPU ms", "PG CPU ms", "load",
                    "bridge threads' CPU ms per 1k changes: relay thread, apply, capture, JIT, GC"));
            lines.add(String.format(Locale.ROOT, "%-26s %10s %8s %7s %14s %14s %14s %14s %6s", "", "", "", "", "per 1k changes",
                    "per 1k changes", "per 1k changes", "per 1k changes", "(1 min)"));
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, email, balance_cents)"
                    + " SELECT g, 'c' || g, 'c' || g || '@mail.test', g FROM generate_series(1, " + ROWS + ") g");
            Path base = shop.writeConfig("    batch-size: 1000\n");
            String yaml = Files.readString(base);
            BridgeConfig off = ConfigLoader.load(base, shop.env());
            Path onFile = shop.dir().resolve("bridge-audit.yaml");
            Files.writeString(onFile, yaml + "report:\n  masked-columns: [customers.email, clients.email]\n"
                    + "audit:\n  bootstrap-servers: " + kafka.bootstrapServers() + "\n  masking: hash\n"
                    + "  hash-salt: bench\n");
            BridgeConfig on = ConfigLoader.load(onFile, shop.env());

            // warm-up of both modes (backfill, JIT, caches, topics), printed but not counted
            for (int i = 1; i <= warmupPairs; i++) {
                boolean offFirst = i % 2 == 1;
                run(shop, offFirst ? off : on, changes, kafka, (offFirst ? "warm-up off #" : "warm-up on #") + i, lines);
                run(shop, offFirst ? on : off, changes, kafka, (offFirst ? "warm-up on #" : "warm-up off #") + i, lines);
            }
            List<Figures> offRuns = new ArrayList<>();
            List<Figures> onRuns = new ArrayList<>();
            List<Double> pairCosts = new ArrayList<>();
            for (int i = 1; i <= pairs; i++) {
                boolean offFirst = i % 2 == 1;
                Figures a = run(shop, offFirst ? off : on, changes, kafka, (offFirst ? "audit off #" : "audit on #") + i, lines);
                Figures b = run(shop, offFirst ? on : off, changes, kafka, (offFirst ? "audit on #" : "audit off #") + i, lines);
                Figures o = offFirst ? a : b;
                Figures n = offFirst ? b : a;
                offRuns.add(o);
                onRuns.add(n);
                pairCosts.add(100 * (o.rate() - n.rate()) / o.rate());
            }
            double offRate = median(offRuns, Figures::rate);
            double onRate = median(onRuns, Figures::rate);
            lines.add(String.format(Locale.ROOT, "audit off: median %,.0f changes/s (%,.0f to %,.0f), bridge CPU %.0f ms per"
                    + " 1,000 changes, PostgreSQL %.0f ms", offRate, min(offRuns, Figures::rate), max(offRuns, Figures::rate),
                    median(offRuns, Figures::bridgeCpu), median(offRuns, Figures::pgCpu)));
            lines.add(String.format(Locale.ROOT, "audit on:  median %,.0f changes/s (%,.0f to %,.0f), bridge CPU %.0f ms per"
                    + " 1,000 changes (relay %.0f ms), PostgreSQL %.0f ms, broker %.0f ms", onRate, min(onRuns, Figures::rate),
                    max(onRuns, Figures::rate), median(onRuns, Figures::bridgeCpu), median(onRuns, Figures::relayCpu),
                    median(onRuns, Figures::pgCpu), median(onRuns, Figures::brokerCpu)));
            lines.add(String.format(Locale.ROOT, "bridge threads (medians, ms per 1,000 changes, off -> on): relay thread 0 -> %.1f"
                    + " (sender %.1f), apply %.1f -> %.1f, capture %.1f -> %.1f, JIT %.1f -> %.1f, GC %.1f -> %.1f",
                    median(onRuns, Figures::relayThreadCpu),
                    median(onRuns, f -> f.relayCpu() - f.relayThreadCpu()),
                    median(offRuns, Figures::applyCpu), median(onRuns, Figures::applyCpu),
                    median(offRuns, Figures::captureCpu), median(onRuns, Figures::captureCpu),
                    median(offRuns, Figures::jitCpu), median(onRuns, Figures::jitCpu),
                    median(offRuns, Figures::gcCpu), median(onRuns, Figures::gcCpu)));
            List<Double> sortedCosts = pairCosts.stream().sorted().toList();
            double pairMedian = sortedCosts.size() % 2 == 1 ? sortedCosts.get(sortedCosts.size() / 2)
                    : (sortedCosts.get(sortedCosts.size() / 2 - 1) + sortedCosts.get(sortedCosts.size() / 2)) / 2;
            lines.add(String.format(Locale.ROOT, "audit cost: %.1f%% of lane throughput (medians); per pair %s (median %.1f%%,"
                    + " %.0f%% to %.0f%%)", 100 * (offRate - onRate) / offRate,
                    pairCosts.stream().map(c -> String.format(Locale.ROOT, "%.0f%%", c)).toList(), pairMedian,
                    sortedCosts.get(0), sortedCosts.get(sortedCosts.size() - 1)));
            double offDrained = median(offRuns, Figures::drainedRate);
            double onDrained = median(onRuns, Figures::drainedRate);
            lines.add(String.format(Locale.ROOT, "until the outbox is empty too (lane time + tail): audit off %,.0f, on %,.0f"
                    + " changes/s (medians), cost %.1f%%; tail median %.1f s", offDrained, onDrained,
                    100 * (offDrained - onDrained) / offDrained, median(onRuns, Figures::tail)));
            double offCpu = median(offRuns, Figures::bridgeCpu) + median(offRuns, Figures::pgCpu);
            lines.add(String.format(Locale.ROOT, "audit CPU per change (medians): bridge process %+.0f%%, PostgreSQL %+.0f%%,"
                    + " broker %.0f ms per 1,000 events; bridge and PostgreSQL together %+.0f%%",
                    100 * (median(onRuns, Figures::bridgeCpu) / median(offRuns, Figures::bridgeCpu) - 1),
                    100 * (median(onRuns, Figures::pgCpu) / median(offRuns, Figures::pgCpu) - 1),
                    median(onRuns, Figures::brokerCpu),
                    100 * ((median(onRuns, Figures::bridgeCpu) + median(onRuns, Figures::pgCpu)) / offCpu - 1)));

            kafka.stop();
            run(shop, on, changes, kafka, "audit on, Kafka stopped", lines);
            long waiting;
            try (SideDatabase v1 = SideDatabase.open(on.v1(), on.name())) {
                waiting = Outbox.backlog(v1, on.metadataSchema(), on.name()).waiting();
            }
            kafka.start();
            long t0 = System.nanoTime();
            try (Bridge bridge = Bridge.open(on)) {
                bridge.start();
                while (Outbox.backlog(bridge.side(Side.V1), on.metadataSchema(), on.name()).waiting() > 0) {
                    Thread.sleep(50);
                }
            }
            double drain = (System.nanoTime() - t0) / 1e9;
            lines.add(String.format(Locale.ROOT, "relay drain after the outage: %,d events in %.1f s = %,.0f events/s"
                    + " (including bridge start and Kafka reconnect)", waiting, drain, waiting / drain));
            lines.add(String.format(Locale.ROOT, "load average: %.1f at start, %.1f at the end (2 cores shared with other"
                    + " builds when above ~2); %.1f minutes in all", loadAtStart, ProcCpu.load(),
                    (System.nanoTime() - started) / 60e9));
            assertThat(offRuns).allMatch(f -> f.rate() > 0);
            assertThat(onRuns).allMatch(f -> f.rate() > 0 && f.brokerCpu() > 0);
        }
        lines.forEach(System.out::println);
        Path out = Path.of("target", "benchmark-audit.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
    }

    /**
     * CPU seconds so far of each PostgreSQL backend serving the benchmark's database (the bridge's pools, its
     * replication slot's walsender), by process id: the server's share of the work, apart from other databases.
     */
    private static Map<Long, Double> pgCpu(ShopFixture shop) {
        Map<Long, Double> out = new HashMap<>();
        for (String pid : shop.rows(Side.V1, "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid()")) {
            double s = ProcCpu.seconds(Long.parseLong(pid));
            if (!Double.isNaN(s)) {
                out.put(Long.parseLong(pid), s);
            }
        }
        return out;
    }

    /** CPU seconds so far of this JVM's live threads whose name starts with one of {@code prefixes}. */
    private static double threadCpuSeconds(List<String> prefixes) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && prefixes.stream().anyMatch(t.getThreadName()::startsWith)) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                nanos += Math.max(0, cpu);
            }
        }
        return nanos / 1e9;
    }

    private static double median(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> f) {
        return runs.stream().mapToDouble(f).min().orElse(0);
    }

    private static double max(List<Figures> runs, java.util.function.ToDoubleFunction<Figures> f) {
        return runs.stream().mapToDouble(f).max().orElse(0);
    }

    private static void check(Lane lane, long deadline) {
        if (lane.state() == Lane.State.FAILED || System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("lane " + lane.name() + " " + lane.state() + " after "
                    + lane.stats().streamedChanges() + " changes", lane.failure());
        }
    }

    private static Figures run(ShopFixture shop, BridgeConfig cfg, int changes, KafkaProcess kafka, String name,
            List<String> lines) throws Exception {
        Figures f = measure(shop, cfg, changes, kafka);
        lines.add(String.format(Locale.ROOT, "%-26s %,10.0f %8.1f %7.1f %14.0f %14.0f %14.0f %14.0f %6.1f  %5.1f %5.1f %5.1f %5.1f %5.1f",
                name, f.rate(), f.seconds(), f.tail(), f.bridgeCpu(), f.relayCpu(), f.brokerCpu(), f.pgCpu(), f.load(),
                f.relayThreadCpu(), f.applyCpu(), f.captureCpu(), f.jitCpu(), f.gcCpu()));
        return f;
    }

    /**
     * Writes {@code changes} updates while the bridge is stopped, then times the lane's catch-up from its first
     * applied batch (not counted: engine start) to its last, and counts the CPU of this JVM (the bridge) and of the
     * broker from then until the lane caught up and, with audit on, the outbox is empty.
     */
    private static Figures measure(ShopFixture shop, BridgeConfig cfg, int changes, KafkaProcess kafka) throws Exception {
        try (Bridge bridge = Bridge.open(cfg)) { // backfill (first time) and slot, then stop
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            long backfillDeadline = System.currentTimeMillis() + 300_000;
            while (lane.stats().snapshotRows() < ROWS && shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") < ROWS) {
                check(lane, backfillDeadline); // a lane that failed (or never backfills) ends the run with its reason
                Thread.sleep(50);
            }
            shop.awaitSlotsActive(1);
        }
        SplittableRandom random = new SplittableRandom(changes);
        try (Connection c = shop.connect(Side.V1)) {
            // the changes are written before the bridge starts, so how fast is not measured: no wait for the disk per
            // commit, and each transaction's 10 updates sent in one round trip (the same WAL, the same transactions)
            try (var st = c.createStatement()) {
                st.execute("SET synchronous_commit = off");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE shop_v1.customers SET balance_cents = ? WHERE id = ?")) {
                for (int i = 0; i < changes; i++) {
                    ps.setLong(1, random.nextInt(1_000_000));
                    ps.setLong(2, 1 + random.nextInt(ROWS));
                    ps.addBatch();
                    if (i % 10 == 9 || i == changes - 1) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        System.gc(); // every run starts without the garbage of the one before
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            long before = lane.stats().streamedChanges();
            long deadline = System.currentTimeMillis() + 300_000;
            while (lane.stats().streamedChanges() == before) {
                check(lane, deadline);
                Thread.sleep(1);
            }
            long t0 = System.nanoTime();
            double cpu0 = ProcCpu.self();
            double relay0 = threadCpuSeconds(RELAY_THREADS);
            double relayThread0 = threadCpuSeconds(RELAY_THREAD);
            double apply0 = threadCpuSeconds(APPLY_THREAD);
            double capture0 = threadCpuSeconds(CAPTURE_THREADS);
            double jit0 = ProcCpu.threadSeconds(JIT_THREADS);
            double gc0 = ProcCpu.threadSeconds(GC_THREADS);
            double broker0 = kafka.cpuSeconds();
            Map<Long, Double> pg0 = pgCpu(shop);
            long first = lane.stats().streamedChanges();
            while (lane.stats().streamedChanges() < before + changes) {
                check(lane, deadline);
                Thread.sleep(5);
            }
            long caughtUp = System.nanoTime();
            double seconds = (caughtUp - t0) / 1e9;
            while (kafka.isUp() && !bridge.relays().isEmpty() && Outbox.backlog(bridge.side(Side.V1), cfg.metadataSchema(), cfg.name()).waiting() > 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            double tail = (System.nanoTime() - caughtUp) / 1e9;
            long counted = before + changes - first;
            double pg = 0;
            for (Map.Entry<Long, Double> e : pgCpu(shop).entrySet()) {
                pg += e.getValue() - pg0.getOrDefault(e.getKey(), 0.0);
            }
            return new Figures(counted / seconds, seconds, tail, 1e6 * (ProcCpu.self() - cpu0) / counted,
                    1e6 * (threadCpuSeconds(RELAY_THREADS) - relay0) / counted,
                    1e6 * (kafka.cpuSeconds() - broker0) / counted, 1e6 * pg / counted, ProcCpu.load(),
                    1e6 * (threadCpuSeconds(RELAY_THREAD) - relayThread0) / counted,
                    1e6 * (threadCpuSeconds(APPLY_THREAD) - apply0) / counted,
                    1e6 * (threadCpuSeconds(CAPTURE_THREADS) - capture0) / counted,
                    1e6 * (ProcCpu.threadSeconds(JIT_THREADS) - jit0) / counted,
                    1e6 * (ProcCpu.threadSeconds(GC_THREADS) - gc0) / counted);
        }
    }
}
