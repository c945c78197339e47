package io.graybridge.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.demo.EmbeddedKafka;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's cost (issue 7's benchmark): lane throughput with audit off and on, in the same run on
 * the same data, and the relay's drain rate after a Kafka outage.
 *
 * <p>Each run measures catch-up throughput, the lane's ceiling: the bridge is stopped, v1 makes
 * {@code gb.bench.changes} single-row updates in transactions of 10, then the bridge starts and the clock
 * runs from the first applied change to the last. Runs alternate off, on, off, on. A last run has audit on
 * with Kafka stopped (the outbox takes everything), then Kafka starts and the relay's drain is timed.
 *
 * <p>Not a test (its name matches neither {@code *Test} nor {@code *IT}). Run: {@code source .ci/env.sh &&
 * mvn -B -q verify -pl tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AuditBenchmark
 * -Dgb.bench.changes=20000}; the table is also written to {@code tests/target/benchmark-audit.txt}.
 */
class AuditBenchmark {
    private static final int ROWS = 5_000;

    @Test
    void measureLaneThroughputWithAuditOffAndOnAndTheRelaysDrainRate() throws Exception {
        int changes = Integer.getInteger("gb.bench.changes", 20_000);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "GrayBridge audit benchmark: %,d changes per run (single-row updates, 10 per"
                + " transaction), catch-up throughput, %d cores, Java %s", changes,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        lines.add(String.format(Locale.ROOT, "%-30s %12s %10s", "run", "changes/s", "seconds"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(RepoPaths.root().resolve("tests/target"));
                ShopFixture shop = ShopFixture.create("benchaudit")) {
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

            measure(shop, off, changes); // warm-up: backfill, JIT
            List<Double> offRates = new ArrayList<>();
            List<Double> onRates = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                offRates.add(run(shop, off, changes, "audit off #" + i, lines));
                onRates.add(run(shop, on, changes, "audit on #" + i, lines));
            }
            double offMean = offRates.stream().mapToDouble(d -> d).average().orElse(0);
            double onMean = onRates.stream().mapToDouble(d -> d).average().orElse(0);
            lines.add(String.format(Locale.ROOT, "audit cost: %.1f%% of lane throughput (mean on %,.0f/s vs off %,.0f/s)",
                    100 * (offMean - onMean) / offMean, onMean, offMean));

            kafka.stop();
            run(shop, on, changes, "audit on, Kafka stopped", lines);
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
        }
        lines.forEach(System.out::println);
        Path out = Path.of("target", "benchmark-audit.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertThat(lines).hasSize(9);
    }

    private static void check(Lane lane, long deadline) {
        if (lane.state() == Lane.State.FAILED || System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("lane " + lane.name() + " " + lane.state() + " after "
                    + lane.stats().streamedChanges() + " changes", lane.failure());
        }
    }

    private static double run(ShopFixture shop, BridgeConfig cfg, int changes, String name, List<String> lines)
            throws Exception {
        double[] rateAndSeconds = measure(shop, cfg, changes);
        lines.add(String.format(Locale.ROOT, "%-30s %,12.0f %10.1f", name, rateAndSeconds[0], rateAndSeconds[1]));
        return rateAndSeconds[0];
    }

    /**
     * Writes {@code changes} updates while the bridge is stopped, then times the lane's catch-up from its first
     * applied batch (not counted: engine start) to its last; returns {changes/s, seconds}.
     */
    private static double[] measure(ShopFixture shop, BridgeConfig cfg, int changes) throws Exception {
        try (Bridge bridge = Bridge.open(cfg)) { // backfill (first time) and slot, then stop
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            while (lane.stats().snapshotRows() < ROWS && shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") < ROWS) {
                Thread.sleep(50);
            }
            shop.awaitSlotsActive(1);
        }
        SplittableRandom random = new SplittableRandom(changes);
        try (Connection c = shop.connect(Side.V1);
                PreparedStatement ps = c.prepareStatement("UPDATE shop_v1.customers SET balance_cents = ? WHERE id = ?")) {
            c.setAutoCommit(false);
            for (int i = 0; i < changes; i++) {
                ps.setLong(1, random.nextInt(1_000_000));
                ps.setLong(2, 1 + random.nextInt(ROWS));
                ps.executeUpdate();
                if (i % 10 == 9) {
                    c.commit();
                }
            }
            c.commit();
        }
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            long before = lane.stats().streamedChanges();
            long deadline = System.currentTimeMillis() + 120_000;
            while (lane.stats().streamedChanges() == before) {
                check(lane, deadline);
                Thread.sleep(1);
            }
            long t0 = System.nanoTime();
            long first = lane.stats().streamedChanges();
            while (lane.stats().streamedChanges() < before + changes) {
                check(lane, deadline);
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new double[] {(before + changes - first) / seconds, seconds};
        }
    }
}
