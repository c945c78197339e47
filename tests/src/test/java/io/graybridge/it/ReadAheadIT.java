package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.apply.CrashPoints;
import io.graybridge.bridge.apply.KeyText;
import io.graybridge.bridge.capture.CaptureKnowledge;
import io.graybridge.bridge.capture.SourcePositions;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.BinlogStatus;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * latest-wins, step 3 of its build plan, capture side (ARCHITECTURE.md, "latest-wins: the build plan", <em>Knowledge-only
 * and the restart</em>), end to end: the v1-to-v2 lane's apply is held (a test-only pause before each batch) so its
 * queue fills ({@code read-ahead} = {@code batch-size} = 10); a demand on its capture knowledge, as the reverse lane's
 * barrier makes one, lets capture read on knowledge-only past the demanded position while the queue stays full; once
 * released, the lane applies what was queued, restarts its engine from the stored offset and delivers every change
 * exactly once. The demanded position is v1's position read as capture's captured position encodes it ({@link
 * SourcePositions}): the WAL LSN on PostgreSQL, the binlog position on MariaDB.
 */
class ReadAheadIT {

    /**
     * Every source and target engine of the held lane (v1 -> v2): a WAL source and a binlog source, each into a
     * PostgreSQL and into a binlog target. The MySQL pairs need Docker ({@link EngineShop.Engine#MYSQL}) and are
     * skipped with the reason without it.
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL)),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL)),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB)),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB)),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL)),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL)),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL)));
    }

    @AfterEach
    void removePause() {
        CrashPoints.pauseWith(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldReadOnKnowledgeOnlyWhileTheQueueIsFullThenRestartAndDeliverEveryChangeOnce(Engines engines)
            throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CrashPoints.pauseWith((where, lane) -> {
            if ("before-batch".equals(where) && "v1-to-v2".equals(lane) && hold.get()) {
                held.countDown();
                release.await();
            }
        });
        try (EngineShop shop = EngineShop.create("lwra", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: latest-wins\n",
                    "    batch-size: 10\n    read-ahead: 10\n"), shop.env());
            assertThat(cfg.lane(Direction.FORWARD).readAhead()).isEqualTo(10);
            // `letGo` closes first: a failed assertion while the apply is held lets it go, so the bridge can close
            // and the test fails instead of hanging
            try (Bridge bridge = Bridge.open(cfg); AutoCloseable letGo = release::countDown) {
                bridge.start();
                awaitStreaming(bridge);
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                CaptureKnowledge knowledge = lane.knowledge();
                assertThat(knowledge).as("latest-wins with both lanes keeps capture knowledge").isNotNull();
                for (int id = 1; id <= 5; id++) {
                    shop.insertCustomers(id, id);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).size() == 5);

                // hold the lane's apply: its first batch waits at the pause, the queue fills with 10 row changes, and
                // capture waits (no demand: a full queue blocks it as before)
                hold.set(true);
                for (int id = 10; id <= 69; id++) {
                    shop.insertCustomers(id, id); // one transaction each
                }
                assertThat(held.await(30, TimeUnit.SECONDS)).as("a batch reached the pause").isTrue();
                long demanded = positionNow(shop, Side.V1);
                for (int id = 70; id <= 79; id++) {
                    shop.insertCustomers(id, id); // commits past the demanded position
                }
                Thread.sleep(1_000); // capture had time to read on, if it did (it must not: nobody demands yet)
                long before = knowledge.capturedPosition();
                assertThat(before).as("a full queue and no demand: capture waits short of the later writes")
                        .isLessThan(demanded);
                assertThat(lane.stats().knowledgeOnlyCycles()).isZero();

                // the reverse lane's barrier would wait for the position v1 was at: capture reads on, knowledge-only
                ByteBuffer late = ByteBuffer.wrap(KeyText.hash("customers", "69"));
                CompletableFuture<CaptureKnowledge.View> waited = CompletableFuture.supplyAsync(() -> {
                    try {
                        return knowledge.awaitCaptured(demanded, List.of(late), 60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                });
                CaptureKnowledge.View view = waited.get(90, TimeUnit.SECONDS);
                assertThat(view).as("capture passed the demanded position").isNotNull();
                assertThat(view.capturedPosition()).isGreaterThanOrEqualTo(demanded);
                assertThat(view.keys().get(late)).as("customer 69 (its commit ends where v1 was): its write is known, though not queued").isNotNull();
                assertThat(view.keys().get(late).lastWrite()).isNotNull();
                assertThat(lane.stats().knowledgeOnlyCycles()).isEqualTo(1);
                assertThat(lane.stats().engineRestarts()).isZero();
                assertThat(shop.customers(Side.V2)).as("nothing applied while held").hasSize(5);
                assertThat(lane.state()).isEqualTo(Lane.State.RUNNING);

                // release: the queued batches are applied, the engine restarts from the stored offset and reads the
                // dropped changes again
                hold.set(false);
                release.countDown();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().engineRestarts() == 1
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("lane failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                await().atMost(Duration.ofSeconds(90)).until(() -> shop.customers(Side.V2).size() == 75);
                shop.insertCustomers(80, 80); // a last change: once it arrived, everything before it was applied
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 76);
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.progress(Side.V2, "v1-to-v2",
                        "changes_applied") >= 76);
                assertThat(shop.customers(Side.V2)).as("target rows equal source rows").isEqualTo(
                        shop.customers(Side.V1));
                assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied"))
                        .as("every v1 change applied exactly once").isEqualTo(76);
                assertThat(lane.stats().streamedChanges()).as("this run's count, with no change applied twice")
                        .isEqualTo(76);
                assertThat(lane.stats().knowledgeOnlyCycles()).isEqualTo(1);
                assertThat(lane.stats().engineRestarts()).isEqualTo(1);
                assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING);
            }
        }
    }

    /**
     * Where {@code side} writes its log now, as capture's captured position encodes it: the WAL LSN on PostgreSQL (as
     * the barrier reads it), the binlog file and offset on MariaDB or MySQL ({@link BinlogStatus}, {@link
     * SourcePositions#binlog}).
     */
    private static long positionNow(EngineShop shop, Side side) throws SQLException {
        Engine engine = shop.engines().of(side);
        if (!engine.binlog()) {
            return shop.count(side, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        }
        try (Connection c = shop.connect(side)) {
            BinlogStatus.Position p = BinlogStatus.current(c, Dialect.valueOf(engine.name())).orElseThrow(
                    () -> new IllegalStateException(side + " (" + engine + ") writes no binlog: its binlog status is"
                            + " empty; turn log_bin on for the test server"));
            return SourcePositions.binlog(p.file(), p.offset());
        }
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
        }
    }
}
