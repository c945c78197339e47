package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Side;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convergence under concurrent writes on both sides, on every engine pair: two writers per side do random inserts,
 * updates and deletes on overlapping keys while both lanes run (deleted keys are inserted again later), and the
 * bridge process is killed (SIGKILL) once mid-run and restarted. Once the writers stop and the lanes catch up, both
 * sides must be equal row by row through the mapping, every source change applied exactly once (so no echo was ever
 * applied), and every conflict recorded in the target's {@code conflict_log} under the configured policy.
 *
 * <p>Each pair runs once with a fixed policy (v1-wins, v2-wins and primary-wins spread over the pairs) and once with
 * latest-wins, plus both PostgreSQL sides in one database (the other PostgreSQL pairs give each side a database of its
 * own).
 *
 * <p>Every case races deletes: with both lanes on the bridge knows which writes were concurrent (ARCHITECTURE.md,
 * "Conflicts", "Deletes"; latest-wins orders them by the stamps capture computes).
 */
class ConvergenceIT {
    private static final int KEYS = 40;
    private static final int OPS_PER_WRITER = 250;

    private static final Engines PG_PG = new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(PG_PG, "one database", "v2-wins"),
                Arguments.of(PG_PG, "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "two databases", "v1-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "two databases", "primary-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "two databases", "v2-wins"),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "two databases", "v1-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "two databases", "primary-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "two databases", "v2-wins"),
                // two-way latest-wins (stamps from capture, both lanes at the barrier) on every pair
                Arguments.of(PG_PG, "one database", "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "two databases", "latest-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "two databases", "latest-wins"));
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void shouldConvergeUnderConcurrentWritesWithEveryConflictRecordedAndNoEchoApplied(
            Engines engines, String layout, String policy) throws Exception {
        // every policy races deletes and updates of random columns: with both lanes on, the fixed policies and
        // latest-wins (by stamps) know which writes were concurrent and apply the winner in full
        boolean wholeRows = false;
        boolean deletes = true;
        try (EngineShop shop = layout.equals("one database") ? EngineShop.createInOnePostgresDatabase("conv")
                : EngineShop.create("conv", engines)) {
            Path config = shop.writeConfig(true, "conflicts:\n  policy: " + policy + "\n", "    batch-size: 50\n");
            BridgeConfig cfg = ConfigLoader.load(config, shop.env());
            AtomicLong v1Changes = new AtomicLong();
            AtomicLong v2Changes = new AtomicLong();
            AtomicLong rowsDeleted = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();

            Map<String, String> env = new HashMap<>(shop.env());
            env.put("GRAYBRIDGE_LIB_LOG_LEVEL", System.getProperty("gb.it.libLogLevel", "WARN"));
            BridgeProcess first = BridgeProcess.run(config, env, shop.dir().resolve("run1.log"));
            awaitStreaming(first);
            for (int w = 0; w < 2; w++) {
                writers.add(writer(shop, Side.V1, 100 + w, wholeRows, deletes, v1Changes, rowsDeleted, failure));
                writers.add(writer(shop, Side.V2, 200 + w, wholeRows, deletes, v2Changes, rowsDeleted, failure));
            }
            writers.forEach(Thread::start);
            Thread.sleep(1500);
            // kill mid-stream: once each lane committed streamed changes (so a position is stored; an empty
            // backfill stores none, and a kill before the first commit just backfills again)
            long progressBy = System.currentTimeMillis() + 120_000;
            while ((applied(shop, Side.V2, "v1-to-v2") == 0 || applied(shop, Side.V1, "v2-to-v1") == 0)
                    && System.currentTimeMillis() < progressBy) {
                Thread.sleep(50);
            }
            assertThat(first.isAlive()).as("run 1:%n%s", first.output()).isTrue();
            first.kill();
            Thread.sleep(500);
            try (BridgeProcess second = BridgeProcess.run(config, env, shop.dir().resolve("run2.log"))) {
                for (Thread t : writers) {
                    t.join();
                }
                assertThat(failure.get()).as("writer failure").isNull();
                // a MariaDB lane reconnects its binlog reader in several seconds and applies fewer changes/s
                long deadline = System.currentTimeMillis() + 240_000;
                while (System.currentTimeMillis() < deadline && second.isAlive()
                        && !(applied(shop, Side.V2, "v1-to-v2") >= v1Changes.get()
                                && applied(shop, Side.V1, "v2-to-v1") >= v2Changes.get()
                                && Compare.clean(shop, cfg))) {
                    Thread.sleep(300);
                }
                assertThat(second.isAlive()).as("run 2:%n%s", second.output()).isTrue();
            }
            String diagnosis = String.format("v1 changes %d applied on v2 %d; v2 changes %d applied on v1 %d; %s",
                    v1Changes.get(), applied(shop, Side.V2, "v1-to-v2"), v2Changes.get(),
                    applied(shop, Side.V1, "v2-to-v1"), Compare.describe(shop, cfg));
            assertThat(Compare.clean(shop, cfg)).as("both sides equal through the mapping: " + diagnosis).isTrue();
            assertThat(applied(shop, Side.V2, "v1-to-v2")).as("each v1 change applied once, no echo: " + diagnosis)
                    .isEqualTo(v1Changes.get());
            assertThat(applied(shop, Side.V1, "v2-to-v1")).as("each v2 change applied once, no echo: " + diagnosis)
                    .isEqualTo(v2Changes.get());
            long conflicts = conflictsCounted(shop, Side.V1, "v2-to-v1") + conflictsCounted(shop, Side.V2, "v1-to-v2");
            // counters and log live in each lane's target metadata (a database of its own on MariaDB)
            String log = shop.metadataSchema() + ".conflict_log";
            long logged = shop.count(Side.V1, "SELECT count(*) FROM " + log + " WHERE lane = 'v2-to-v1'")
                    + shop.count(Side.V2, "SELECT count(*) FROM " + log + " WHERE lane = 'v1-to-v2'");
            for (Side target : Side.values()) {
                System.out.printf("ConvergenceIT %s, %s, %s: conflicts on %s by kind and winner: %s; rows deleted %d%n",
                        engines, layout, policy, target, shop.rows(target, "SELECT kind, winner, count(*) FROM " + log
                                + " GROUP BY kind, winner ORDER BY kind, winner"), rowsDeleted.get());
            }
            assertThat(conflicts).as("the writers collided: conflicts happened").isPositive();
            if (deletes) {
                assertThat(rowsDeleted.get()).as("the writers deleted rows").isPositive();
            }
            assertThat(logged).as("every conflict recorded").isEqualTo(conflicts);
            for (Side target : Side.values()) {
                assertThat(shop.count(target, "SELECT count(*) FROM " + log + " WHERE policy <> '" + policy + "'"))
                        .as("conflicts on %s decided by another policy than %s", target, policy).isZero();
            }
        }
    }

    /** Waits until the run says both lanes stream: changes committed from then on are captured, not backfilled. */
    private static void awaitStreaming(BridgeProcess run) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && run.isAlive()) {
            String out = run.output();
            if (out.contains("lane v1-to-v2 is streaming") && out.contains("lane v2-to-v1 is streaming")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("both lanes did not stream within 120 s (alive " + run.isAlive() + "):\n"
                + run.output());
    }

    private static long applied(EngineShop shop, Side target, String lane) {
        return shop.progress(target, lane, "changes_applied");
    }

    private static long conflictsCounted(EngineShop shop, Side target, String lane) {
        return shop.progress(target, lane, "conflicts_incoming_won + conflicts_current_kept");
    }

    /**
     * A writer on {@code side}: inserts, updates of random columns (or whole rows) and, with {@code deletes}, deletes
     * on shared keys (an insert of a deleted key re-inserts it), counting the row changes the side's log records
     * ({@link EngineShop#connectCountingLoggedRows}).
     */
    private static Thread writer(EngineShop shop, Side side, int seed, boolean wholeRows, boolean deletes,
            AtomicLong changes, AtomicLong rowsDeleted, AtomicReference<Throwable> failure) {
        boolean v1 = side == Side.V1;
        boolean mariadb = shop.engines().of(side).binlog();
        String table = shop.table(side, v1 ? "customers" : "clients");
        String name = v1 ? "name" : "full_name";
        String balance = v1 ? "balance_cents" : "balance";
        return new Thread(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            try (Connection c = shop.connectCountingLoggedRows(side)) {
                for (int i = 0; i < OPS_PER_WRITER; i++) {
                    long id = 1 + random.nextInt(KEYS);
                    Object money = v1 ? (Object) (long) random.nextInt(100_000)
                            : BigDecimal.valueOf(random.nextInt(100_000), 2);
                    int kind = random.nextInt(10);
                    String tag = side.id() + "-" + seed + "-" + i;
                    long n;
                    if (deletes && kind == 3) {
                        // a missing key: no change, counted 0
                        n = exec(c, "DELETE FROM " + table + " WHERE id = ?", id);
                        rowsDeleted.addAndGet(n);
                    } else if (kind < 3) {
                        // an existing key: no change, counted 0
                        n = exec(c, "INSERT " + (mariadb ? "IGNORE " : "") + "INTO " + table + " (id, " + name
                                + ", email, " + balance + ", status) VALUES (?, ?, ?, ?, ?)"
                                + (mariadb ? "" : " ON CONFLICT (id) DO NOTHING"), id, "n " + tag, "e " + tag,
                                money, random.nextBoolean() ? "A" : "I");
                    } else {
                        List<String> sets = new ArrayList<>();
                        List<Object> args = new ArrayList<>();
                        if (wholeRows || random.nextBoolean()) {
                            sets.add(name + " = ?");
                            args.add("n " + tag);
                        }
                        if (wholeRows || random.nextBoolean()) {
                            sets.add("email = ?");
                            args.add("e " + tag);
                        }
                        if (wholeRows || random.nextBoolean()) {
                            sets.add(balance + " = ?");
                            args.add(money);
                        }
                        if (wholeRows || sets.isEmpty() || random.nextBoolean()) {
                            sets.add("status = ?");
                            args.add(random.nextBoolean() ? "A" : "I");
                        }
                        args.add(id);
                        n = exec(c, "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE id = ?",
                                args.toArray());
                    }
                    changes.addAndGet(n);
                    Thread.sleep(2);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "writer-" + side.id() + "-" + seed);
    }

    /**
     * Runs one autocommit statement and returns its update count. A statement chosen as a deadlock victim (the lane
     * applies a batch of rows in one transaction beside the writers) was rolled back whole and is run again.
     */
    private static long exec(Connection c, String sql, Object... args) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            } catch (SQLException e) {
                boolean deadlock = "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
                if (!deadlock || attempt == 5) {
                    throw e;
                }
                Thread.sleep(20L * attempt);
            }
        }
    }
}
