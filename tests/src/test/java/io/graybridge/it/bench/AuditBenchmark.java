package io.graybridge.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.it.bench.AuditLaneRuns.Figures;
import io.graybridge.it.support.BenchJvm;
import io.graybridge.it.support.KafkaProcess;
import io.graybridge.it.support.ProcCpu;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's cost (issue 7's benchmark): lane throughput with audit off and on, in the same run on
 * the same data, the CPU each costs, and the relay's drain rate after a Kafka outage.
 *
 * <p>Each run ({@link AuditLaneRuns}) measures catch-up throughput, the lane's ceiling: the bridge is stopped, v1
 * makes {@code gb.bench.changes} single-row updates in transactions of 10, then the bridge starts and the clock runs
 * from the first applied change to the last. <b>Each mode runs in a JVM of its own</b> for the whole benchmark (two
 * child JVMs, {@link BenchJvm}: audit off and audit on), as a bridge runs in one mode: when both modes took turns in
 * one JVM, the JIT compiled the lane's code again at every switch (3 to 8 ms more JIT CPU per 1,000 changes in the
 * audit-on runs, session 8). First {@code gb.bench.warmupPairs} pairs of runs (default 3, printed as warm-up and not
 * counted) warm each child's JIT and caches and the topics. Then {@code gb.bench.pairs} pairs of runs alternate
 * off/on and on/off (ABBA, so a drift of the machine's load hits both modes alike); the figures are medians and
 * means, and each pair's cost: of lane throughput, of the lane's threads' CPU and of the whole bridge's CPU per 1,000
 * changes. Then, unless {@code gb.bench.sameJvmPairs} is 0 (default 4, after the same number of warm-up pairs), the
 * old way for comparison: both modes in this one JVM, so the JIT effect shows beside the forked figures. Every run
 * starts after a full garbage collection. The broker runs in a JVM of its own ({@link KafkaProcess}), so a child's
 * CPU is the bridge's (lane and relay) and the broker's is counted apart: CPU per 1,000 changes, counted until the
 * lane caught up and the relay drained the outbox; the tail from the lane's catch-up to an empty outbox is printed
 * too, with the throughput until both are done. Each run also splits the bridge's CPU by thread: the relay's own
 * thread, the lane's apply thread (the writer's transaction, outbox insert included), its capture threads, the JVM's
 * JIT compiler threads and its garbage collector threads, so an audit cost can be placed without wall-clock figures
 * on a shared machine. A last run has audit on with Kafka stopped (the outbox takes everything), then Kafka starts
 * and the relay's drain is timed (in the audit-on child). The load average is printed, since the machine may be
 * shared. {@code -Dgb.bench.jfr=true} records each child with Java Flight Recorder (profile settings) into
 * {@code tests/target/audit-off.jfr} and {@code audit-on.jfr}.
 *
 * <p>Not a test (its name matches neither {@code *Test} nor {@code *IT}). Run: {@code source .ci/env.sh &&
 * mvn -B -o -q verify -pl tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AuditBenchmark
 * -Dgb.bench.changes=60000 -Dgb.bench.pairs=8}; the table is also written to {@code tests/target/benchmark-audit.txt},
 * the children's logs to {@code tests/target/audit-bench-off.log} and {@code -on.log}.
 */
class AuditBenchmark {
    /** Runs one measurement of a mode somewhere (a child JVM, or this one). */
    private interface Mode {
        Figures run(int changes, boolean brokerUp) throws Exception;
    }

    @Test
    void measureLaneThroughputWithAuditOffAndOnAndTheRelaysDrainRate() throws Exception {
        int changes = Integer.getInteger("gb.bench.changes", 8_000);
        int pairs = Integer.getInteger("gb.bench.pairs", 4);
        int warmupPairs = Integer.getInteger("gb.bench.warmupPairs", 3);
        int sameJvmPairs = Integer.getInteger("gb.bench.sameJvmPairs", 4);
        boolean jfr = Boolean.getBoolean("gb.bench.jfr");
        long started = System.nanoTime();
        // the broker stands in for one on its own machine: lowest CPU priority, so it takes only what the bridge and
        // PostgreSQL leave idle (its CPU is still counted and printed); -Dgb.bench.brokerNice=0 shares the CPU evenly
        int brokerNice = Integer.getInteger("gb.bench.brokerNice", 19);
        List<String> lines = new ArrayList<>();
        double loadAtStart = ProcCpu.load();
        Path target = RepoPaths.root().resolve("tests/target");
        try (KafkaProcess kafka = KafkaProcess.start(target, brokerNice);
                ShopFixture shop = ShopFixture.create("benchaudit")) {
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, email, balance_cents)"
                    + " SELECT g, 'c' || g, 'c' || g || '@mail.test', g FROM generate_series(1, " + AuditLaneRuns.ROWS
                    + ") g");
            Path offFile = shop.writeConfig("    batch-size: 1000\n");
            String yaml = Files.readString(offFile);
            Path onFile = shop.dir().resolve("bridge-audit.yaml");
            Files.writeString(onFile, yaml + "report:\n  masked-columns: [customers.email, clients.email]\n"
                    + "audit:\n  bootstrap-servers: " + kafka.bootstrapServers() + "\n  masking: hash\n"
                    + "  hash-salt: bench\n");
            List<String> childArgs = List.of(shop.jdbcUrl(Side.V1), shop.server().user(), Long.toString(kafka.pid()));
            try (BenchJvm offJvm = child("off", offFile, childArgs, shop, target, jfr);
                    BenchJvm onJvm = child("on", onFile, childArgs, shop, target, jfr)) {
                lines.add(String.format(Locale.ROOT, "GrayBridge audit benchmark: %,d changes per run (single-row updates, 10"
                        + " per transaction), catch-up throughput, each mode in its own JVM (audit off pid %d, on pid %d%s),"
                        + " %d warm-up pairs (not counted) then %d pairs of runs (ABBA); then %d pairs with both modes in one"
                        + " JVM; broker in its own JVM (pid %d, nice %d), %d cores, Java %s, load average %.1f at start",
                        changes, offJvm.pid(), onJvm.pid(), jfr ? ", JFR on" : "", warmupPairs, pairs, sameJvmPairs,
                        kafka.pid(), brokerNice, Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"), loadAtStart));
                header(lines);
                Mode off = (n, up) -> Figures.decode(offJvm.ask("run " + n + (up ? " up" : " down"), "figures "));
                Mode on = (n, up) -> Figures.decode(onJvm.ask("run " + n + (up ? " up" : " down"), "figures "));
                List<Figures>[] forked = series("", off, on, changes, warmupPairs, pairs, lines);
                summary("each mode in its own JVM", forked[0], forked[1], lines);
                assertThat(forked[0]).allMatch(f -> f.rate() > 0);
                assertThat(forked[1]).allMatch(f -> f.rate() > 0 && f.brokerCpu() > 0);

                if (sameJvmPairs > 0) {
                    lines.add("both modes in this one JVM (the benchmark before session 9), for comparison:");
                    header(lines);
                    String password = shop.env().getOrDefault("GB_IT_PASSWORD", "");
                    AuditLaneRuns offHere = new AuditLaneRuns(ConfigLoader.load(offFile, shop.env()),
                            shop.jdbcUrl(Side.V1), shop.server().user(), password, kafka.pid());
                    AuditLaneRuns onHere = new AuditLaneRuns(ConfigLoader.load(onFile, shop.env()),
                            shop.jdbcUrl(Side.V1), shop.server().user(), password, kafka.pid());
                    List<Figures>[] same = series("1 JVM ", offHere::measure, onHere::measure, changes, warmupPairs,
                            sameJvmPairs, lines);
                    summary("both modes in one JVM", same[0], same[1], lines);
                }

                kafka.stop();
                row(lines, "audit on, Kafka stopped", on.run(changes, false));
                kafka.start();
                String[] drained = onJvm.ask("drain", "drained ").split(" ");
                double drain = Double.parseDouble(drained[1]);
                lines.add(String.format(Locale.ROOT, "relay drain after the outage: %,d events in %.1f s = %,.0f events/s"
                        + " (including bridge start and Kafka reconnect)", Long.parseLong(drained[0]), drain,
                        Long.parseLong(drained[0]) / drain));
            }
            lines.add(String.format(Locale.ROOT, "load average: %.1f at start, %.1f at the end (2 cores shared with other"
                    + " builds when above ~2); %.1f minutes in all", loadAtStart, ProcCpu.load(),
                    (System.nanoTime() - started) / 60e9));
        }
        lines.forEach(System.out::println);
        Path out = Path.of("target", "benchmark-audit.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
    }

    private static BenchJvm child(String mode, Path config, List<String> args, ShopFixture shop, Path target,
            boolean jfr) {
        List<String> jvmArgs = jfr
                ? List.of("-XX:StartFlightRecording=settings=profile,filename=" + target.resolve("audit-" + mode + ".jfr"))
                : List.of();
        List<String> all = new ArrayList<>();
        all.add(config.toString());
        all.addAll(args);
        return BenchJvm.start(AuditLaneRuns.class, jvmArgs, all, shop.env(), target.resolve("audit-bench-" + mode + ".log"));
    }

    /**
     * Warm-up pairs, then {@code pairs} ABBA pairs of runs of {@code off} and {@code on}, each printed; returns the
     * counted runs, off at [0] and on at [1], pair by pair.
     */
    @SuppressWarnings("unchecked")
    private static List<Figures>[] series(String label, Mode off, Mode on, int changes, int warmupPairs, int pairs,
            List<String> lines) throws Exception {
        for (int i = 1; i <= warmupPairs; i++) {
            boolean offFirst = i % 2 == 1;
            row(lines, label + (offFirst ? "warm-up off #" : "warm-up on #") + i, (offFirst ? off : on).run(changes, true));
            row(lines, label + (offFirst ? "warm-up on #" : "warm-up off #") + i, (offFirst ? on : off).run(changes, true));
        }
        List<Figures> offRuns = new ArrayList<>();
        List<Figures> onRuns = new ArrayList<>();
        for (int i = 1; i <= pairs; i++) {
            boolean offFirst = i % 2 == 1;
            Figures a = (offFirst ? off : on).run(changes, true);
            row(lines, label + (offFirst ? "audit off #" : "audit on #") + i, a);
            Figures b = (offFirst ? on : off).run(changes, true);
            row(lines, label + (offFirst ? "audit on #" : "audit off #") + i, b);
            offRuns.add(offFirst ? a : b);
            onRuns.add(offFirst ? b : a);
        }
        return new List[] {offRuns, onRuns};
    }

    private static void header(List<String> lines) {
        lines.add(String.format(Locale.ROOT, "%-26s %10s %8s %7s %14s %14s %14s %14s %6s  %s", "run", "changes/s", "seconds",
                "tail s", "bridge CPU ms", "of it relay", "broker CPU ms", "PG CPU ms", "load",
                "bridge threads' CPU ms per 1k changes: relay thread, apply, capture, JIT, GC"));
        lines.add(String.format(Locale.ROOT, "%-26s %10s %8s %7s %14s %14s %14s %14s %6s", "", "", "", "", "per 1k changes",
                "per 1k changes", "per 1k changes", "per 1k changes", "(1 min)"));
    }

    private static void row(List<String> lines, String name, Figures f) {
        lines.add(String.format(Locale.ROOT,
                "%-26s %,10.0f %8.1f %7.1f %14.0f %14.0f %14.0f %14.0f %6.1f  %5.1f %5.1f %5.1f %5.1f %5.1f", name,
                f.rate(), f.seconds(), f.tail(), f.bridgeCpu(), f.relayCpu(), f.brokerCpu(), f.pgCpu(), f.load(),
                f.relayThreadCpu(), f.applyCpu(), f.captureCpu(), f.jitCpu(), f.gcCpu()));
    }

    /** Per pair and in all (medians and means): the audit's cost in lane throughput and in CPU, off beside on. */
    private static void summary(String title, List<Figures> offRuns, List<Figures> onRuns, List<String> lines) {
        List<Double> rateCosts = new ArrayList<>();
        List<Double> laneCosts = new ArrayList<>();
        List<Double> bridgeCosts = new ArrayList<>();
        lines.add(title + ", per pair (off -> on; lane CPU = apply + capture threads, ms per 1,000 changes):");
        for (int i = 0; i < offRuns.size(); i++) {
            Figures o = offRuns.get(i);
            Figures n = onRuns.get(i);
            rateCosts.add(100 * (o.rate() - n.rate()) / o.rate());
            laneCosts.add(100 * (n.laneCpu() / o.laneCpu() - 1));
            bridgeCosts.add(100 * (n.bridgeCpu() / o.bridgeCpu() - 1));
            lines.add(String.format(Locale.ROOT, "  pair %d: lane throughput %,.0f -> %,.0f changes/s (cost %.1f%%); lane CPU"
                    + " %.1f -> %.1f (%+.1f%%); bridge CPU %.0f -> %.0f (%+.1f%%); relay thread %.1f, sender %.1f ms per"
                    + " 1,000 events; JIT %.1f -> %.1f", i + 1, o.rate(), n.rate(), rateCosts.get(i), o.laneCpu(),
                    n.laneCpu(), laneCosts.get(i), o.bridgeCpu(), n.bridgeCpu(), bridgeCosts.get(i), n.relayThreadCpu(),
                    n.relayCpu() - n.relayThreadCpu(), o.jitCpu(), n.jitCpu()));
        }
        double offRate = median(offRuns, Figures::rate);
        double onRate = median(onRuns, Figures::rate);
        lines.add(String.format(Locale.ROOT, "  audit off: median %,.0f changes/s (%,.0f to %,.0f, mean %,.0f), bridge CPU"
                + " %.0f ms per 1,000 changes, lane CPU %.1f, PostgreSQL %.0f ms", offRate, min(offRuns, Figures::rate),
                max(offRuns, Figures::rate), mean(offRuns, Figures::rate), median(offRuns, Figures::bridgeCpu),
                median(offRuns, Figures::laneCpu), median(offRuns, Figures::pgCpu)));
        lines.add(String.format(Locale.ROOT, "  audit on:  median %,.0f changes/s (%,.0f to %,.0f, mean %,.0f), bridge CPU"
                + " %.0f ms per 1,000 changes, lane CPU %.1f, relay %.1f (of it the relay thread %.1f), PostgreSQL %.0f ms,"
                + " broker %.0f ms", onRate, min(onRuns, Figures::rate), max(onRuns, Figures::rate),
                mean(onRuns, Figures::rate), median(onRuns, Figures::bridgeCpu), median(onRuns, Figures::laneCpu),
                median(onRuns, Figures::relayCpu), median(onRuns, Figures::relayThreadCpu), median(onRuns, Figures::pgCpu),
                median(onRuns, Figures::brokerCpu)));
        lines.add(String.format(Locale.ROOT, "  bridge threads (medians, ms per 1,000 changes, off -> on): relay thread 0 ->"
                + " %.1f (sender %.1f), apply %.1f -> %.1f, capture %.1f -> %.1f, JIT %.1f -> %.1f, GC %.1f -> %.1f",
                median(onRuns, Figures::relayThreadCpu), median(onRuns, f -> f.relayCpu() - f.relayThreadCpu()),
                median(offRuns, Figures::applyCpu), median(onRuns, Figures::applyCpu),
                median(offRuns, Figures::captureCpu), median(onRuns, Figures::captureCpu),
                median(offRuns, Figures::jitCpu), median(onRuns, Figures::jitCpu),
                median(offRuns, Figures::gcCpu), median(onRuns, Figures::gcCpu)));
        lines.add(String.format(Locale.ROOT, "  AUDIT COST (%s): lane throughput %.1f%% (of the medians; per pair median"
                + " %.1f%%, mean %.1f%%, %.0f%% to %.0f%%); lane CPU per change %+.1f%% (per pair median %+.1f%%, mean"
                + " %+.1f%%); bridge CPU per change %+.1f%% (per pair median %+.1f%%, mean %+.1f%%)", title,
                100 * (offRate - onRate) / offRate, median(rateCosts), mean(rateCosts),
                rateCosts.stream().mapToDouble(d -> d).min().orElse(0), rateCosts.stream().mapToDouble(d -> d).max().orElse(0),
                100 * (median(onRuns, Figures::laneCpu) / median(offRuns, Figures::laneCpu) - 1), median(laneCosts),
                mean(laneCosts), 100 * (median(onRuns, Figures::bridgeCpu) / median(offRuns, Figures::bridgeCpu) - 1),
                median(bridgeCosts), mean(bridgeCosts)));
        double offDrained = median(offRuns, Figures::drainedRate);
        double onDrained = median(onRuns, Figures::drainedRate);
        lines.add(String.format(Locale.ROOT, "  until the outbox is empty too (lane time + tail): audit off %,.0f, on %,.0f"
                + " changes/s (medians), cost %.1f%%; tail median %.1f s; PostgreSQL CPU per change %+.0f%%", offDrained,
                onDrained, 100 * (offDrained - onDrained) / offDrained, median(onRuns, Figures::tail),
                100 * (median(onRuns, Figures::pgCpu) / median(offRuns, Figures::pgCpu) - 1)));
    }

    private static double median(List<Figures> runs, ToDoubleFunction<Figures> f) {
        return median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(d -> d).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double mean(List<Figures> runs, ToDoubleFunction<Figures> f) {
        return runs.stream().mapToDouble(f).average().orElse(0);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(d -> d).average().orElse(0);
    }

    private static double min(List<Figures> runs, ToDoubleFunction<Figures> f) {
        return runs.stream().mapToDouble(f).min().orElse(0);
    }

    private static double max(List<Figures> runs, ToDoubleFunction<Figures> f) {
        return runs.stream().mapToDouble(f).max().orElse(0);
    }
}
