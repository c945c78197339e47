package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.error.ProblemsException;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.reconcile.TableComparison;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The v1 -> v2 lane on a real PostgreSQL with real Debezium capture, in the test's own process. */
class PostgresLaneIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("lane");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private BridgeConfig config(String laneSettings) {
        return ConfigLoader.load(shop.writeConfig(laneSettings), shop.env());
    }

    @Test
    void shouldBackfillThenStreamWithNoGapAndNoDoubleWhileV1KeepsWriting() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name, balance_cents)"
                + " SELECT g, 'c' || g, g FROM generate_series(1, 20000) g");
        BridgeConfig cfg = config("    batch-size: 500\n");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong inserted = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = shop.connect();
                    PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO shop_v1.customers (id, name, balance_cents) VALUES (?, ?, ?)")) {
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
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() > 0);
            Thread.sleep(1500);
            writing.set(false);
            writer.join();
            long total = 20_000 + inserted.get();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> lane.stats().snapshotRows() + lane.stats().streamedChanges() >= total
                            || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane state, failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
            // Only inserts happened: every row arrived once, either in the snapshot or in the stream.
            assertThat(lane.stats().snapshotRows() + lane.stats().streamedChanges())
                    .as("snapshot rows + streamed inserts").isEqualTo(total);
            assertThat(inserted.get()).as("rows written while the lane ran").isPositive();
            assertThat(shop.count("SELECT count(*) FROM shop_v2.clients")).isEqualTo(total);
            assertThat(Compare.all(shop, cfg)).allMatch(TableComparison::clean);
        }
    }

    @Test
    void shouldMapInsertUpdateDeleteAndKeyChange() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name, email, balance_cents, status)"
                + " VALUES (1, 'Ada', 'ada@example.com', 12345, 'A'), (2, 'Bob', NULL, 0, 'I')");
        shop.execute("INSERT INTO shop_v1.orders (id, customer_id, total_cents) VALUES (10, 1, 999), (11, 2, 5)");
        BridgeConfig cfg = config("");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().snapshotRows() == 4);
            try (Connection c = shop.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO shop_v1.customers (id, name, balance_cents) VALUES (3, 'Cy', 1)");
                s.execute("UPDATE shop_v1.customers SET name = 'Ada L.', balance_cents = 20000 WHERE id = 1");
                s.execute("DELETE FROM shop_v1.customers WHERE id = 2");
                s.execute("UPDATE shop_v1.orders SET id = 12 WHERE id = 10");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.count(
                    "SELECT count(*) FROM shop_v2.orders WHERE id = 12") == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, cfg));
        }
        try (Connection c = shop.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, full_name, email, balance, status, tier FROM shop_v2.clients"
                        + " ORDER BY id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getString(2)).as("renamed column").isEqualTo("Ada L.");
            assertThat(rs.getString(3)).isEqualTo("ada@example.com");
            assertThat(rs.getBigDecimal(4)).as("cents to decimal").isEqualByComparingTo(new BigDecimal("200.00"));
            assertThat(rs.getString(6)).as("new v2 column gets its default").isEqualTo("standard");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("id 2 was deleted").isEqualTo(3);
            assertThat(rs.getBigDecimal(4)).isEqualByComparingTo(new BigDecimal("0.01"));
            assertThat(rs.next()).isFalse();
        }
        assertThat(shop.count("SELECT count(*) FROM shop_v2.orders WHERE id = 10")).as("old key gone").isZero();
        assertThat(shop.count("SELECT total * 100 FROM shop_v2.orders WHERE id = 12")).isEqualTo(999);
    }

    @Test
    void shouldResumeFromThePositionStoredInTheTargetWithoutReapplying() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 100) g");
        BridgeConfig cfg = config("");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().snapshotRows() == 100);
            shop.execute("UPDATE shop_v1.customers SET balance_cents = 7 WHERE id <= 10");
            await().atMost(Duration.ofSeconds(30)).until(() -> lane.stats().streamedChanges() == 10);
        }
        // While the bridge is down, v1 keeps changing.
        shop.execute("UPDATE shop_v1.customers SET balance_cents = 8 WHERE id > 90");
        shop.execute("DELETE FROM shop_v1.customers WHERE id = 50");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().streamedChanges() >= 11);
            await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, cfg));
            assertThat(lane.stats().snapshotRows()).as("no second backfill after a restart").isZero();
            assertThat(lane.stats().streamedChanges()).as("only the changes made while down").isEqualTo(11);
        }
        assertThat(shop.count("SELECT changes_applied FROM graybridge.lane_progress WHERE lane = 'v1-to-v2'"))
                .as("each change applied exactly once across both runs").isEqualTo(21);
        assertThat(shop.count("SELECT snapshot_rows FROM graybridge.lane_progress WHERE lane = 'v1-to-v2'"))
                .isEqualTo(100);
        assertThat(shop.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                + shop.database() + "_v1'")).as("the slot is reused, not recreated").isEqualTo(1);
    }

    @Test
    void shouldRefuseToStartWhenTheSlotOfAStoredPositionIsGone() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 10) g");
        BridgeConfig cfg = config("");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(lane::isStreaming);
            shop.execute("UPDATE shop_v1.customers SET balance_cents = 1 WHERE id = 1");
            await().atMost(Duration.ofSeconds(30)).until(() -> lane.stats().streamedChanges() == 1);
        }
        // the slot disappears (dropped by hand, a restore, a failover) while v1 keeps changing
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.count("SELECT count(*) FROM pg_replication_slots"
                + " WHERE slot_name = '" + shop.database() + "_v1' AND active") == 0);
        shop.execute("SELECT pg_drop_replication_slot('" + shop.database() + "_v1')");
        shop.execute("UPDATE shop_v1.customers SET balance_cents = 2 WHERE id = 2");
        try (Bridge bridge = Bridge.open(cfg)) {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(io.graybridge.error.GrayBridgeException.class)
                    .hasMessageContaining("replication slot '" + shop.database() + "_v1'")
                    .hasMessageContaining("is gone")
                    .hasMessageContaining("lane_offset");
        }
        assertThat(shop.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + shop.database() + "_v1'"))
                .as("no new slot that would silently skip the change made meanwhile").isZero();
    }

    @Test
    void shouldApplyASourceTransactionLargerThanTheBufferInChunksAndCountItOnce() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 25000) g");
        BridgeConfig cfg = config("    batch-size: 100\n"); // buffers at most 10,000 changes of one transaction
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 25000);
            shop.execute("UPDATE shop_v1.customers SET balance_cents = id * 3"); // one transaction, 25,000 rows
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().streamedChanges() == 25000
                    || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
            assertThat(Compare.all(shop, cfg)).allMatch(TableComparison::clean);
        }
        assertThat(shop.count("SELECT changes_applied FROM graybridge.lane_progress WHERE lane = 'v1-to-v2'"))
                .isEqualTo(25000);
    }

    @Test
    void shouldRefuseToStartOnATableWithoutPrimaryKeyAndSayHowToFixIt() {
        shop.execute("ALTER TABLE shop_v1.orders DROP CONSTRAINT orders_pkey");
        shop.execute("ALTER TABLE shop_v1.customers REPLICA IDENTITY DEFAULT");
        BridgeConfig cfg = config("");
        assertThatThrownBy(() -> Bridge.open(cfg))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e -> {
                    List<?> problems = ((ProblemsException) e).problems();
                    assertThat(problems).as("every problem at once").hasSize(2);
                })
                .hasMessageContaining("shop_v1.orders' on v1 has no primary key")
                .hasMessageContaining("ADD PRIMARY KEY")
                .hasMessageContaining("ALTER TABLE \"shop_v1\".\"customers\" REPLICA IDENTITY FULL;");
        assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'"))
                .as("nothing was created on an invalid setup").isZero();
    }
}
