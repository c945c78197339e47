package io.graybridge.bench.suite;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.graybridge.bridge.capture.PostgresCapture;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.LagHistogram;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Capture ceiling (issue 9, item 2) and memory (item 4): N inserts on v1 (transactions of 1,000 rows) are
 * made once, after three replication slots exist, and each consumer then reads the same N changes from its
 * own slot:
 *
 * <ul>
 *   <li><b>Debezium only</b>: the embedded engine with {@code pgoutput} and a consumer that counts and
 *       acknowledges: the ceiling of capture;
 *   <li><b>bridge capture</b>: the bridge's {@link PostgresCapture} (transaction assembly, loop-guard
 *       check, decoding into rows) handing batches to a sink that drops them;
 *   <li><b>full lane</b>: capture, loop guard, mapping and apply to v2 with positions stored.
 * </ul>
 *
 * The gap between the first and the last is what guard, mapping and apply cost. The memory probe runs
 * during the full lane.
 */
final class CaptureBench {
    private static final int TX_ROWS = 1_000;

    private final BenchOptions options;

    CaptureBench(BenchOptions options) {
        this.options = options;
    }

    void run(Report report) throws Exception {
        int n = options.captureChanges();
        Report.Table t = report.table("capture", "Capture ceiling: " + String.format(Locale.ROOT, "%,d", n)
                        + " inserts captured from PostgreSQL (pgoutput)", "consumer", "changes", "seconds",
                "changes/s", "start to first s", "JVM CPU s/1M", "vs Debezium only");
        Report.Table mem = report.table("memory", "Memory during the full lane over " + String.format(Locale.ROOT, "%,d",
                n) + " changes", "samples", "peak heap MiB", "live heap first quarter MiB", "live heap last quarter MiB",
                "peak RSS MiB", "flat");
        try (ShopFixture shop = ShopFixture.create("benchcap")) {
            String db = shop.database();
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig("    snapshot: never\n    batch-size: "
                    + options.laneBatchSize() + "\n"), shop.env());
            // three slots, all created before the changes are made, so each consumer reads the same changes
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                shop.awaitSlotsActive(1);
            }
            String raw = db + "_raw";
            String cap = db + "_cap";
            for (String slot : List.of(raw, cap)) {
                shop.execute(Side.V1, "CREATE PUBLICATION " + slot + " FOR TABLE shop_v1.customers");
                shop.execute(Side.V1, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            }
            long made = System.nanoTime();
            for (long first = 1; first <= n; first += TX_ROWS) {
                long last = Math.min(n, first + TX_ROWS - 1);
                shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, email, balance_cents, status)"
                        + " SELECT g, 'customer ' || g, 'c' || g || '@example.com', g * 7 % 1000000, 'A'"
                        + " FROM generate_series(" + first + ", " + last + ") g");
            }
            t.note(String.format(Locale.ROOT, "Making the %,d changes took %.1f s (%,d transactions of %,d rows).", n,
                    (System.nanoTime() - made) / 1e9, (n + TX_ROWS - 1) / TX_ROWS, TX_ROWS));

            BenchmarkSuite.progress(String.format(Locale.ROOT, "  %,d changes made", n));
            Measured debezium = debeziumOnly(cfg.v1(), raw, n);
            BenchmarkSuite.progress(String.format(Locale.ROOT, "  Debezium only: %,.0f changes/s", debezium.rate()));
            t.add("Debezium only (count and ack)", (long) n, debezium.seconds(), debezium.rate(), debezium.startSeconds(),
                    debezium.jvmPerMillion(n), 1.0);

            LaneConfig capLane = new LaneConfig(Direction.FORWARD, true, cap, cap, LaneConfig.SnapshotMode.NEVER,
                    options.laneBatchSize(), cfg.lane(Direction.FORWARD).pollIntervalMillis());
            AtomicLong delivered = new AtomicLong();
            Measured capture;
            try (PostgresCapture pc = new PostgresCapture(cfg.name(), cfg.name() + "-bench-capture", cfg.v1(), capLane,
                    List.of("customers"), batch -> delivered.addAndGet(batch.changes().size()), Map::of)) {
                capture = timeUntil(() -> pc.start(error -> { }), delivered::get, n);
            }
            BenchmarkSuite.progress(String.format(Locale.ROOT, "  bridge capture: %,.0f changes/s", capture.rate()));
            t.add("bridge capture (drops batches)", (long) n, capture.seconds(), capture.rate(), capture.startSeconds(),
                    capture.jvmPerMillion(n), capture.rate() / debezium.rate());

            Measured lane;
            MemoryProbe.Summary memory;
            LagHistogram.Snapshot lags;
            try (Bridge bridge = Bridge.open(cfg); MemoryProbe probe = MemoryProbe.start()) {
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                lane = timeUntil(bridge::start, () -> forward.stats().streamedChanges(), n);
                memory = probe.summary();
                lags = forward.stats().lagHistogram();
            }
            long applied = shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients");
            if (applied != n) {
                throw new IllegalStateException("the full lane applied " + applied + " rows, expected " + n);
            }
            BenchmarkSuite.progress(String.format(Locale.ROOT, "  full lane: %,.0f changes/s", lane.rate()));
            t.add("full lane (guard + map + apply)", (long) n, lane.seconds(), lane.rate(), lane.startSeconds(),
                    lane.jvmPerMillion(n), lane.rate() / debezium.rate());
            t.note("seconds and changes/s run from the first change delivered to the last; the engine's start is"
                    + " shown apart. The full lane counts a batch once it is applied, so its first change is late by"
                    + " one batch (" + options.laneBatchSize() + " changes).");
            t.note(String.format(Locale.ROOT, "Full lane lag while draining the backlog (commit on v1 to commit on v2):"
                    + " p50 %d ms, max %.1f s: the changes were all made before the lane started.",
                    lags.percentile(50).toMillis(), lags.max().toMillis() / 1000.0));
            mem.add((long) memory.samples(), memory.peakHeapMiB(), memory.liveHeapFirstMiB(), memory.liveHeapLastMiB(),
                    memory.peakRssMiB(), memory.flat());
            mem.note("live heap = heap in use after the latest garbage collection, averaged over the first and the last"
                    + " quarter of the run; flat = it grew by less than 64 MiB or 25%. Peak heap includes garbage not yet"
                    + " collected (the JVM's default heap limit on this machine is a quarter of its memory).");
            double ratio = lane.rate() / debezium.rate();
            report.goal("full lane >= 50% of the capture-only ceiling",
                    String.format(Locale.ROOT, "%.0f%% (%,.0f vs %,.0f changes/s)", ratio * 100, lane.rate(),
                            debezium.rate()), ratio >= 0.5);
            report.goal("heap flat over " + String.format(Locale.ROOT, "%,d", n) + " events"
                            + (n < 10_000_000 ? " (10M with gb.bench.profile=long)" : ""),
                    String.format(Locale.ROOT, "live heap %d MiB -> %d MiB, peak RSS %d MiB", memory.liveHeapFirstMiB(),
                            memory.liveHeapLastMiB(), memory.peakRssMiB()), memory.flat());
        }
    }

    /** Timing of one consumer. */
    record Measured(double startSeconds, double seconds, long changes, double jvmCpu) {
        double rate() {
            return changes / seconds;
        }

        double jvmPerMillion(long n) {
            return jvmCpu * 1e6 / n;
        }
    }

    interface Start {
        void run() throws Exception;
    }

    /**
     * Starts a consumer and polls its count every 2 ms until it reached {@code n}: at most 10 minutes, or the
     * time {@code n} takes at 1,000 changes/s when that is longer (the long profile's 10M changes).
     */
    private static Measured timeUntil(Start start, LongSupplier count, long n) throws Exception {
        CpuClock.Reading cpu0 = CpuClock.read();
        long t0 = System.nanoTime();
        start.run();
        long first = -1;
        long limitMinutes = Math.max(10, n / 1_000 / 60);
        long deadline = t0 + TimeUnit.MINUTES.toNanos(limitMinutes);
        while (count.getAsLong() < n) {
            if (first < 0 && count.getAsLong() > 0) {
                first = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + n + " changes arrived in " + limitMinutes
                        + " minutes");
            }
            Thread.sleep(2);
        }
        long last = System.nanoTime();
        if (first < 0) {
            first = last;
        }
        double cpu = CpuClock.read().jvmSecondsSince(cpu0);
        return new Measured((first - t0) / 1e9, Math.max(1e-3, (last - first) / 1e9), n, cpu);
    }

    /** The embedded engine alone on {@code slot}, counting data change records and acknowledging them. */
    private static Measured debeziumOnly(SideConfig v1, String slot, long n) throws Exception {
        URI uri = URI.create(v1.jdbcUrl().substring("jdbc:".length()));
        Properties p = new Properties();
        p.setProperty("name", "bench-debezium-only");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
        p.setProperty("database.dbname", uri.getPath().replaceFirst("^/", ""));
        p.setProperty("database.user", v1.user());
        p.setProperty("database.password", v1.password().reveal());
        p.setProperty("topic.prefix", "bench");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", slot);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "shop_v1\\.customers");
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("max.batch.size", "2048");
        p.setProperty("max.queue.size", "8192");
        p.setProperty("poll.interval.ms", "20");
        AtomicLong count = new AtomicLong();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(
                        io.debezium.embedded.Connect.class))
                .using(p)
                .notifying((List<RecordChangeEvent<SourceRecord>> records,
                        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
                    for (RecordChangeEvent<SourceRecord> r : records) {
                        if (r.record().topic().endsWith(".customers")) {
                            count.incrementAndGet();
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            return timeUntil(() -> executor.execute(engine), count::get, n);
        } finally {
            engine.close();
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

}
