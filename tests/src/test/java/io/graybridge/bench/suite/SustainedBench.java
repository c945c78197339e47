package io.graybridge.bench.suite;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.LagHistogram;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sustained end to end (issue 9, item 3): a fixed-rate load of single-row updates (each its own
 * transaction, spread over one connection per 250 changes/s) steps through the offered rates, first
 * all on v1 with the v1-to-v2 lane, then half on v1 and half on v2 (disjoint keys) with both lanes. Lag
 * is from source commit to target commit, from the lane's own histogram of every change in the step.
 *
 * <p>Bounded: after the load stops the lane catches up within 1 s, and the p99 lag of the step's second
 * half is at most twice its first half's plus 100 ms (a lane that falls behind shows a growing lag).
 */
final class SustainedBench {
    private static final int ROWS = 20_000;
    /** Changes/s one load connection offers: each update waits for its commit's flush, a few ms each. */
    private static final int PER_CONNECTION = 250;

    private final BenchOptions options;

    SustainedBench(BenchOptions options) {
        this.options = options;
    }

    void run(Report report) throws Exception {
        Report.Table t = report.table("sustained", "Sustained end to end: fixed-rate updates for " + options.stepSeconds()
                        + " s per step", "run", "lane", "offered/s", "made/s", "applied/s", "lag p50 ms", "lag p99 ms",
                "lag max ms", "backlog at end", "catch-up s", "batches", "wait ms/batch", "bounded");
        List<Step> oneWay = new ArrayList<>();
        try (ShopFixture shop = ShopFixture.create("benchsus1")) {
            seed(shop);
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig("    batch-size: " + options.laneBatchSize() + "\n"),
                    shop.env());
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                awaitSnapshot(forward);
                shop.awaitSlotsActive(1);
                for (int rate : options.steps()) {
                    Step s = step(shop, forward, null, rate, 0);
                    oneWay.add(s);
                    BenchmarkSuite.progress(String.format(Locale.ROOT, "  one-way %,d/s: made %,.0f/s, p99 %d ms", rate,
                            s.forward.madeRate, s.forward.p99));
                    s.forward.addTo(t, "one-way", "v1-to-v2", rate);
                }
            }
        }
        try (ShopFixture shop = ShopFixture.create("benchsus2")) {
            seed(shop);
            // the two-way half's conflict policy: primary-wins (one lane waits at the barrier) unless
            // -Dgb.bench.policy=latest-wins (both lanes wait, for the other lane's capture)
            String policy = System.getProperty("gb.bench.policy", "primary-wins").trim();
            BenchmarkSuite.progress("  two-way under " + policy);
            BridgeConfig cfg = ConfigLoader.load(shop.writeTwoWayConfig(policy,
                    "    batch-size: " + options.laneBatchSize() + "\n"), shop.env());
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
                awaitSnapshot(forward);
                shop.awaitSlotsActive(2);
                for (int rate : options.steps()) {
                    Step s = step(shop, forward, backward, rate / 2, rate - rate / 2);
                    BenchmarkSuite.progress(String.format(Locale.ROOT, "  two-way %,d/s: p99 %d / %d ms", rate,
                            s.forward.p99, s.backward.p99));
                    String run = "two-way, " + policy;
                    s.forward.addTo(t, run, "v1-to-v2", rate / 2);
                    s.backward.addTo(t, run, "v2-to-v1", rate - rate / 2);
                }
            }
        }
        t.note("made/s is what the load generator achieved (one connection per 250 changes/s offered, each update its"
                + " own transaction); applied/s counts until the lane caught up after the load stopped.");
        t.note("backlog at end = changes made but not yet applied when the load stopped; catch-up = time from then until"
                + " the lane had applied them all.");
        t.note("batches = target transactions the lane committed in the step (load and catch-up; queued capture batches are"
                + " applied together up to batch-size); wait ms/batch = the writer's wait at the convergence barrier for the"
                + " reverse lane, per batch (two-way only).");
        oneWay.stream().filter(s -> s.offered == 2_000).findFirst().ifPresent(s -> report.goal(
                "lag p99 < 250 ms at 2,000 changes/s one-way",
                String.format(Locale.ROOT, "p99 %d ms (made %,.0f/s)", s.forward.p99, s.forward.madeRate),
                s.forward.p99 < 250 && s.forward.madeRate >= 1_900));
        oneWay.stream().filter(s -> s.offered == 5_000).findFirst().ifPresent(s -> report.goal(
                "lag bounded at 5,000 changes/s one-way",
                String.format(Locale.ROOT, "made %,.0f/s, applied %,.0f/s, p99 %d ms, catch-up %.1f s",
                        s.forward.madeRate, s.forward.appliedRate, s.forward.p99, s.forward.catchUp),
                s.forward.bounded && s.forward.madeRate >= 4_750));
    }

    private static void seed(ShopFixture shop) {
        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents)"
                + " SELECT g, 'c' || g, g FROM generate_series(1, " + ROWS + ") g");
    }

    private static void awaitSnapshot(Lane forward) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (forward.stats().snapshotRows() < ROWS) {
            if (System.currentTimeMillis() > deadline || forward.state() == Lane.State.FAILED) {
                throw new IllegalStateException("the backfill of " + ROWS + " rows did not finish: " + forward.stats()
                        .snapshotRows() + " rows, lane " + forward.state() + " " + forward.failure());
            }
            Thread.sleep(50);
        }
    }

    /** One lane's figures in one step. */
    static final class LaneResult {
        double madeRate;
        double appliedRate;
        long p50;
        long p99;
        long max;
        long backlog;
        double catchUp;
        long batches;
        double waitPerBatch;
        boolean bounded;

        void addTo(Report.Table t, String run, String lane, int offered) {
            t.add(run, lane, (long) offered, madeRate, appliedRate, p50, p99, max, backlog, catchUp, batches,
                    waitPerBatch, bounded);
        }
    }

    record Step(int offered, LaneResult forward, LaneResult backward) {}

    private Step step(ShopFixture shop, Lane forward, Lane backward, int v1Rate, int v2Rate) throws Exception {
        Lane[] lanes = backward == null ? new Lane[] {forward} : new Lane[] {forward, backward};
        int[] rates = backward == null ? new int[] {v1Rate} : new int[] {v1Rate, v2Rate};
        long[] start = new long[lanes.length];
        long[] batches0 = new long[lanes.length];
        long[] wait0 = new long[lanes.length];
        LagHistogram.Snapshot[] h0 = new LagHistogram.Snapshot[lanes.length];
        LagHistogram.Snapshot[] hMid = new LagHistogram.Snapshot[lanes.length];
        LagHistogram.Snapshot[] hEnd = new LagHistogram.Snapshot[lanes.length];
        AtomicLong[] made = new AtomicLong[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            start[i] = lanes[i].stats().streamedChanges();
            batches0[i] = lanes[i].stats().batches();
            wait0[i] = lanes[i].stats().barrierWaitNanos();
            h0[i] = lanes[i].stats().lagHistogram();
            made[i] = new AtomicLong();
        }
        AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes.length; i++) {
            Side side = i == 0 ? Side.V1 : Side.V2;
            int connections = Math.max(1, (rates[i] + PER_CONNECTION - 1) / PER_CONNECTION);
            for (int c = 0; c < connections; c++) {
                int share = rates[i] / connections + (c < rates[i] % connections ? 1 : 0);
                threads.add(load(shop, side, share, options.stepSeconds(), c, connections, backward != null, made[i],
                        loadFailure));
            }
        }
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(options.stepSeconds() * 500L);
        for (int i = 0; i < lanes.length; i++) {
            hMid[i] = lanes[i].stats().lagHistogram();
        }
        for (Thread th : threads) {
            th.join();
        }
        long loadEnd = System.nanoTime();
        if (loadFailure.get() != null) {
            throw new IllegalStateException("the load generator failed", loadFailure.get());
        }
        long[] backlog = new long[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            hEnd[i] = lanes[i].stats().lagHistogram();
            backlog[i] = Math.max(0, made[i].get() - (lanes[i].stats().streamedChanges() - start[i]));
        }
        double[] caughtUpAt = new double[lanes.length];
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (int i = 0; i < lanes.length; i++) {
            while (lanes[i].stats().streamedChanges() - start[i] < made[i].get()) {
                if (System.nanoTime() > deadline || lanes[i].state() == Lane.State.FAILED) {
                    throw new IllegalStateException("lane " + lanes[i].name() + " did not catch up within 120 s after the "
                            + rates[i] + "/s step: " + (lanes[i].stats().streamedChanges() - start[i]) + " of "
                            + made[i].get() + " applied; lane " + lanes[i].state());
                }
                Thread.sleep(5);
            }
            caughtUpAt[i] = (System.nanoTime() - loadEnd) / 1e9;
        }
        double loadSeconds = (loadEnd - t0) / 1e9;
        LaneResult[] out = new LaneResult[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            LagHistogram.Snapshot all = lanes[i].stats().lagHistogram().minus(h0[i]);
            LaneResult r = new LaneResult();
            r.madeRate = made[i].get() / loadSeconds;
            r.appliedRate = made[i].get() / (loadSeconds + caughtUpAt[i]);
            r.p50 = all.percentile(50).toMillis();
            r.p99 = all.percentile(99).toMillis();
            r.max = all.max().toMillis();
            r.backlog = backlog[i];
            r.catchUp = caughtUpAt[i];
            r.batches = lanes[i].stats().batches() - batches0[i];
            r.waitPerBatch = r.batches == 0 ? 0
                    : (lanes[i].stats().barrierWaitNanos() - wait0[i]) / 1e6 / r.batches;
            long firstHalf = hMid[i].minus(h0[i]).percentile(99).toMillis();
            long secondHalf = hEnd[i].minus(hMid[i]).percentile(99).toMillis();
            r.bounded = caughtUpAt[i] <= 1.0 && secondHalf <= 2 * firstHalf + 100;
            out[i] = r;
        }
        return new Step(v1Rate + v2Rate, out[0], lanes.length > 1 ? out[1] : null);
    }

    /**
     * Updates rows on {@code side} at {@code rate} per second for {@code seconds}, in 5 ms ticks. With
     * {@code twoWay}, v1 updates odd keys and v2 even keys, so the figures measure sync, not conflicts.
     */
    private static Thread load(ShopFixture shop, Side side, int rate, int seconds, int part, int parts, boolean twoWay,
            AtomicLong made, AtomicReference<Throwable> failure) {
        return new Thread(() -> {
            if (rate <= 0) {
                return;
            }
            String sql = side == Side.V1
                    ? "UPDATE shop_v1.customers SET balance_cents = ? WHERE id = ?"
                    : "UPDATE shop_v2.clients SET balance = ? WHERE id = ?";
            SplittableRandom random = new SplittableRandom(31L * side.ordinal() + part);
            try (Connection c = shop.connect(side); PreparedStatement ps = c.prepareStatement(sql)) {
                long start = System.nanoTime();
                long sent = 0;
                long total = (long) rate * seconds;
                while (sent < total) {
                    long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                    while (sent < due) {
                        int cents = random.nextInt(1_000_000);
                        ps.setObject(1, side == Side.V1 ? (Object) (long) cents : BigDecimal.valueOf(cents, 2));
                        // each connection owns its own keys: no two connections wait on one row
                        long slot = random.nextInt(ROWS / (2 * parts));
                        long id = twoWay
                                ? 1 + 2 * (slot * parts + part) + (side == Side.V1 ? 0 : 1)
                                : 1 + slot * parts + part;
                        ps.setLong(2, id);
                        made.addAndGet(ps.executeUpdate());
                        sent++;
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }, "bench-load-" + side.id() + "-" + part);
    }
}
