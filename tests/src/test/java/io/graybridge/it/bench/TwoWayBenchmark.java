package io.graybridge.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lane.LaneStats;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two-way throughput and lag (issue 4's benchmark): a fixed-rate load of single-row updates, first all on
 * v1 (the one-way baseline, both lanes running), then split half and half between v1 and v2, on the same
 * machine in the same run. Prints changes/s per lane and lag p50/p99 from source commit to target commit.
 *
 * <p>Not a test: its name matches neither {@code *Test} nor {@code *IT}, so {@code mvn verify} never runs it.
 * Run: {@code source .ci/env.sh && mvn -B -q verify -pl tests -am -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TwoWayBenchmark -Dgb.bench.rate=1000
 * -Dgb.bench.seconds=10}; the table is also written to {@code tests/target/benchmark-twoway.txt}.
 */
class TwoWayBenchmark {
    private static final int ROWS = 5_000;

    @Test
    void measureOneWayBaselineAndTwoWay() throws Exception {
        int rate = Integer.getInteger("gb.bench.rate", 1000);
        int seconds = Integer.getInteger("gb.bench.seconds", 10);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "GrayBridge two-way benchmark: %d changes/s offered for %d s per run, %d cores,"
                + " Java %s", rate, seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        lines.add(String.format(Locale.ROOT, "%-22s %-9s %10s %10s %10s %10s %10s", "run", "lane", "offered/s", "made/s",
                "applied/s", "lag p50 ms", "lag p99 ms"));
        try (ShopFixture shop = ShopFixture.create("benchtw")) {
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents)"
                    + " SELECT g, 'c' || g, g FROM generate_series(1, " + ROWS + ") g");
            BridgeConfig cfg = ConfigLoader.load(shop.writeTwoWayConfig("primary-wins", "    batch-size: 2000\n"),
                    shop.env());
            run(shop, cfg, "one-way (all on v1)", rate, 0, seconds, lines);
            run(shop, cfg, "two-way (half each)", rate / 2, rate / 2, seconds, lines);
        }
        lines.forEach(System.out::println);
        Path out = Path.of("target", "benchmark-twoway.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertThat(lines).hasSize(6);
    }

    private static void run(ShopFixture shop, BridgeConfig cfg, String name, int v1Rate, int v2Rate, int seconds,
            List<String> lines) throws Exception {
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            long deadline = System.currentTimeMillis() + 120_000;
            while (forward.stats().snapshotRows() < ROWS && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            shop.awaitSlotsActive(2);
            long f0 = forward.stats().streamedChanges();
            long b0 = backward.stats().streamedChanges();
            AtomicLong v1Made = new AtomicLong();
            AtomicLong v2Made = new AtomicLong();
            Thread w1 = load(shop, Side.V1, v1Rate, seconds, v1Made);
            Thread w2 = load(shop, Side.V2, v2Rate, seconds, v2Made);
            long start = System.nanoTime();
            w1.start();
            w2.start();
            w1.join();
            w2.join();
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long waitUntil = System.currentTimeMillis() + 60_000;
            while ((forward.stats().streamedChanges() - f0 < v1Made.get()
                            || backward.stats().streamedChanges() - b0 < v2Made.get())
                    && System.currentTimeMillis() < waitUntil) {
                Thread.sleep(20);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            lines.add(row(name, "v1-to-v2", v1Rate, v1Made.get() / loadSeconds,
                    (forward.stats().streamedChanges() - f0) / elapsed, forward.stats()));
            lines.add(row(name, "v2-to-v1", v2Rate, v2Made.get() / loadSeconds,
                    (backward.stats().streamedChanges() - b0) / elapsed, backward.stats()));
        }
    }

    /** applied/s counts until the lane caught up after the load stopped, so it is at most made/s. */
    private static String row(String run, String lane, int offered, double made, double applied, LaneStats stats) {
        return String.format(Locale.ROOT, "%-22s %-9s %10d %10.0f %10.0f %10d %10d", run, lane, offered, made, applied,
                stats.lag(50).toMillis(), stats.lag(99).toMillis());
    }

    /** Updates random rows on {@code side} at {@code rate} per second for {@code seconds}, in 10 ms ticks. */
    private static Thread load(ShopFixture shop, Side side, int rate, int seconds, AtomicLong made) {
        return new Thread(() -> {
            if (rate <= 0) {
                return;
            }
            String sql = side == Side.V1
                    ? "UPDATE shop_v1.customers SET balance_cents = ? WHERE id = ?"
                    : "UPDATE shop_v2.clients SET balance = ? WHERE id = ?";
            SplittableRandom random = new SplittableRandom(side.ordinal());
            try (Connection c = shop.connect(side); PreparedStatement ps = c.prepareStatement(sql)) {
                long start = System.nanoTime();
                long sent = 0;
                long total = (long) rate * seconds;
                while (sent < total) {
                    long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                    while (sent < due) {
                        int cents = random.nextInt(1_000_000);
                        ps.setObject(1, side == Side.V1 ? (Object) (long) cents : BigDecimal.valueOf(cents, 2));
                        // v1 and v2 update disjoint halves of the keys, so the figures measure sync, not conflicts
                        long id = 1 + 2L * random.nextInt(ROWS / 2) + (side == Side.V1 ? 0 : 1);
                        ps.setLong(2, id);
                        made.addAndGet(ps.executeUpdate());
                        sent++;
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "load-" + side.id());
    }
}
