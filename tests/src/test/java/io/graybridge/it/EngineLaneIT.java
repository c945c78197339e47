package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lane suites parameterised by engine pair (the PostgreSQL-only suites, PostgresLaneIT and TwoWayIT, are
 * older and not ported to this shape yet): one lane and both lanes, real Debezium capture on the machine's
 * MariaDB (and PostgreSQL for the cross-engine pair), in the test's own process.
 */
class EngineLaneIT {

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.MARIADB), new Engines(Engine.MARIADB, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MARIADB));
    }

    private static BridgeConfig config(EngineShop shop, boolean twoWay) {
        return ConfigLoader.load(shop.writeConfig(twoWay, ""), shop.env());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldBackfillThenStreamWithNoGapAndNoDoubleWhileV1KeepsWriting(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("elane", engines)) {
            shop.insertCustomers(1, 5000);
            BridgeConfig cfg = config(shop, false);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong inserted = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection c = shop.connect(Side.V1);
                        PreparedStatement ps = c.prepareStatement("INSERT INTO " + shop.table(Side.V1, "customers")
                                + " (id, name, balance_cents) VALUES (?, ?, ?)")) {
                    long id = 100_000;
                    while (writing.get()) {
                        ps.setLong(1, id);
                        ps.setString(2, "live " + id);
                        ps.setLong(3, id);
                        ps.executeUpdate();
                        inserted.incrementAndGet();
                        id++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Bridge bridge = Bridge.open(cfg)) {
                writer.start();
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(120)).until(() -> lane.stats().snapshotRows() > 0
                        || lane.state() != Lane.State.RUNNING);
                Thread.sleep(1500);
                writing.set(false);
                writer.join();
                long total = 5000 + inserted.get();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> lane.stats().snapshotRows() + lane.stats().streamedChanges() >= total
                                || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("lane state, failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(lane.stats().snapshotRows() + lane.stats().streamedChanges())
                        .as("snapshot rows + streamed inserts: each row once").isEqualTo(total);
                assertThat(inserted.get()).as("rows written while the lane ran").isPositive();
                assertThat(shop.count(Side.V2, "SELECT count(*) FROM " + shop.table(Side.V2, "clients"))).isEqualTo(total);
                assertThat(shop.customers(Side.V2)).isEqualTo(shop.customers(Side.V1));
            }
        }
    }

    private static void awaitInSync(EngineShop shop, Lane lane) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
            assertThat(shop.customers(Side.V2)).as("customers on v2").isEqualTo(shop.customers(Side.V1));
            assertThat(shop.orders(Side.V2)).as("orders on v2").isEqualTo(shop.orders(Side.V1));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldMapInsertUpdateDeleteAndKeyChangeAndResumeAfterARestart(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("emap", engines)) {
            String customers = shop.table(Side.V1, "customers");
            String orders = shop.table(Side.V1, "orders");
            shop.execute(Side.V1, "INSERT INTO " + customers + " (id, name, email, balance_cents, status)"
                    + " VALUES (1, 'Ada', 'ada@example.com', 12345, 'A'), (2, 'Bob', NULL, 0, 'I')");
            shop.execute(Side.V1, "INSERT INTO " + orders + " (id, customer_id, total_cents) VALUES (10, 1, 999), (11, 2, 5)");
            BridgeConfig cfg = config(shop, false);
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 4
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                try (Connection c = shop.connect(Side.V1); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + customers + " (id, name, balance_cents) VALUES (3, 'Cy', 1)");
                    s.execute("UPDATE " + customers + " SET name = 'Ada L.', balance_cents = 20000 WHERE id = 1");
                    s.execute("DELETE FROM " + customers + " WHERE id = 2");
                    s.execute("UPDATE " + orders + " SET id = 12 WHERE id = 10");
                }
                awaitInSync(shop, lane);
                // the key change is a delete and an insert in the binlog, as in PostgreSQL's WAL
                assertThat(lane.stats().streamedChanges()).as("4 changes, the key change as delete and insert")
                        .isEqualTo(5);
            }
            assertThat(shop.customers(Side.V2)).containsExactly("1|Ada L.|ada@example.com|20000|A", "3|Cy|null|1|A");
            assertThat(shop.orders(Side.V2)).containsExactly("11|2|5", "12|1|999");
            assertThat(shop.rows(Side.V2, "SELECT tier FROM " + shop.table(Side.V2, "clients") + " WHERE id = 3"))
                    .as("new v2 column gets its default").containsExactly("standard");

            // while the bridge is down, v1 keeps changing; the restart applies exactly those changes
            shop.execute(Side.V1, "UPDATE " + customers + " SET balance_cents = 8 WHERE id = 3");
            shop.execute(Side.V1, "DELETE FROM " + orders + " WHERE id = 11");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                awaitInSync(shop, lane);
                await().atMost(Duration.ofSeconds(30)).until(() -> lane.stats().streamedChanges() >= 2);
                Thread.sleep(500); // anything replayed would show up in the counters by now
                assertThat(lane.stats().snapshotRows()).as("no second backfill after a restart").isZero();
                assertThat(lane.stats().streamedChanges()).as("only the changes made while down").isEqualTo(2);
            }
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied"))
                    .as("each change applied exactly once across both runs").isEqualTo(7);
            assertThat(shop.progress(Side.V2, "v1-to-v2", "snapshot_rows")).isEqualTo(4);
            assertThat(shop.inSync()).isTrue();
        }
    }
}
