package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static io.graybridge.it.support.Sql.exec;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Side;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Effectively-once delivery, on every engine pair (PostgreSQL and MariaDB, either way): the bridge runs as its own JVM
 * and is killed (SIGKILL, and halts inside a batch and right after a commit) again and again while v1 keeps
 * writing. After a final clean run both sides agree row by row, and the lane applied every source change exactly
 * once: the source position (an LSN, or a binlog position and GTID) commits in the target transaction with the rows.
 */
class CrashRecoveryIT {
    private static final int SEED = 2000;

    private EngineShop shop;
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), new Engines(Engine.MARIADB, Engine.MARIADB),
                new Engines(Engine.MARIADB, Engine.POSTGRESQL), new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL));
    }

    @AfterEach
    void dropShop() {
        writing.set(false);
        if (shop != null) {
            shop.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldNeitherLoseNorRepeatAChangeWhenKilledAtAnyPoint(Engines engines) throws Exception {
        shop = EngineShop.create("crash", engines);
        shop.insertCustomers(1, SEED);
        Path config = shop.writeConfig(false, "", "    batch-size: 20\n");
        BridgeConfig cfg = ConfigLoader.load(config, shop.env());
        Map<String, String> env = new HashMap<>(shop.env());

        // Run 1: backfill completes, then v1 traffic starts (every change from here on is streamed),
        // then SIGKILL while streaming.
        Thread writer;
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run1.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> progress("snapshot_rows") >= SEED || !run.isAlive());
            writer = startWriter();
            Thread.sleep(1500);
            assertThat(run.isAlive()).as("run 1 output:%n%s", run.output()).isTrue();
            run.kill();
        }
        // Run 2: halts inside a batch, after its rows were written and before the commit.
        env.put("GRAYBRIDGE_CRASHPOINT", "inside-batch:15");
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run2.log"))) {
            assertThat(run.awaitExit(120)).as("run 2 output:%n%s", run.output()).isEqualTo(137);
        }
        // Run 3: halts right after a commit, before Debezium hears of it.
        env.put("GRAYBRIDGE_CRASHPOINT", "after-commit:10");
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run3.log"))) {
            assertThat(run.awaitExit(120)).as("run 3 output:%n%s", run.output()).isEqualTo(137);
        }
        // Runs 4 and 5: SIGKILL at a random moment once the run applies changes (mid-stream, not during start-up:
        // a MariaDB lane takes several seconds to connect its binlog reader).
        env.remove("GRAYBRIDGE_CRASHPOINT");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 4; i <= 5; i++) {
            try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run" + i + ".log"))) {
                long before = progress("changes_applied");
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> progress("changes_applied") > before || !run.isAlive());
                Thread.sleep(200 + random.nextInt(1500));
                assertThat(run.isAlive()).as("run %d output:%n%s", i, run.output()).isTrue();
                run.kill();
            }
        }
        writing.set(false);
        writer.join();
        assertThat(writerFailure.get()).isNull();
        assertThat(changes.get()).as("changes written on v1").isGreaterThan(200);

        // Final run: catches up and stops cleanly.
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run6.log"))) {
            awaitCaughtUp(run, cfg);
            assertThat(run.isAlive()).as("final run output:%n%s", run.output()).isTrue();
        }
        String diagnosis = String.format("v1 changes %d, applied %d, snapshot rows %d, stored offset %s, comparison %s",
                changes.get(), progress("changes_applied"), progress("snapshot_rows"), storedOffset(),
                Compare.describe(shop, cfg));
        assertThat(Compare.clean(shop, cfg)).as(diagnosis).isTrue();
        assertThat(progress("changes_applied")).as("every v1 change applied exactly once: " + diagnosis)
                .isEqualTo(changes.get());
        assertThat(progress("snapshot_rows")).as("the backfill ran once").isEqualTo(SEED);
    }

    /** Waits until the lane applied as many changes as v1 made, or made no progress for 60 s (start-up included). */
    private void awaitCaughtUp(BridgeProcess run, BridgeConfig cfg) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        long last = -1;
        long lastMove = System.currentTimeMillis();
        while (run.isAlive() && System.currentTimeMillis() < deadline) {
            long applied = progress("changes_applied");
            if (applied >= changes.get() && Compare.clean(shop, cfg)) {
                return;
            }
            if (applied != last) {
                last = applied;
                lastMove = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - lastMove > 60_000) {
                return;
            }
            Thread.sleep(300);
        }
    }

    private String storedOffset() {
        String value = shop.engines().v2().binlog() ? "CONVERT(offset_value USING utf8mb4)"
                : "convert_from(offset_value, 'UTF8')";
        try {
            List<String> rows = shop.rows(Side.V2, "SELECT " + value + " FROM " + shop.metadataSchema() + ".lane_offset");
            return rows.isEmpty() ? "(none)" : String.join(", ", rows);
        } catch (IllegalStateException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private long progress(String column) {
        try {
            return shop.progress(Side.V2, "v1-to-v2", column);
        } catch (IllegalStateException notYetCreated) {
            return 0;
        }
    }

    /** v1 traffic: single-row and multi-row transactions, inserts, updates, deletes and key changes. */
    private Thread startWriter() {
        Thread t = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(11);
            long nextId = SEED + 1;
            String customers = shop.table(Side.V1, "customers");
            // MariaDB commits each of the lane's batches durably (binlog and redo log): slower traffic keeps the
            // final catch-up within the test's time
            long pause = shop.engines().v2().binlog() ? 40 : 3;
            try (Connection c = shop.connect(Side.V1)) {
                c.setAutoCommit(false);
                while (writing.get()) {
                    int kind = random.nextInt(10);
                    long n;
                    if (kind < 4) {
                        n = exec(c, "INSERT INTO " + customers + " (id, name, balance_cents) VALUES (?, 'new', ?)",
                                nextId++, (long) random.nextInt(1000));
                    } else if (kind < 7) {
                        long from = 1 + random.nextInt((int) nextId - 10);
                        n = exec(c, "UPDATE " + customers + " SET balance_cents = balance_cents + 1"
                                + " WHERE id BETWEEN ? AND ?", from, from + 4);
                    } else if (kind < 9) {
                        n = exec(c, "DELETE FROM " + customers + " WHERE id = ?", 1 + (long) random.nextInt((int) nextId));
                    } else {
                        // a key change arrives as a delete and an insert
                        n = 2 * exec(c, "UPDATE " + customers + " SET id = ? WHERE id = ?", nextId++,
                                1 + (long) random.nextInt((int) nextId - 1));
                    }
                    c.commit();
                    changes.addAndGet(n);
                    Thread.sleep(pause);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "v1-writer");
        t.start();
        return t;
    }
}
