package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code graybridge drift} while both lanes stream live writes: differences in flight are re-checked once
 * the lanes caught up past the first read, so only a persistent difference is drift; with the bridge
 * stopped and behind, the answer is "could not check".
 */
class LiveDriftIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("livedrift");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    @Test
    void shouldReportOnlyThePersistentDifferenceWhileLanesStreamLiveWritesAndCouldNotCheckWhenStoppedAndBehind()
            throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, email, balance_cents, status)"
                + " SELECT g, 'Customer ' || g, 'c' || g || '@example.com', g, 'A' FROM generate_series(1, 2000) g");
        shop.execute(Side.V1, "INSERT INTO shop_v1.orders (id, customer_id, total_cents, placed_at)"
                + " SELECT g, (g + 1) / 2, g * 3, timestamp '2026-02-01' FROM generate_series(1, 4000) g");
        Path yaml = shop.writeTwoWayConfig("primary-wins", "");
        BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
        Path config = Cli.withInlinePassword(shop, yaml, "live.yaml", "verify:\n  enabled: false\n");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (writing.get()) {
                // a transaction of 20 rows on v1 and a single row on v2, 20 times a second: always something in flight
                int from = r.nextInt(1, 1980);
                shop.execute(Side.V1, "UPDATE shop_v1.customers SET balance_cents = balance_cents + 1 WHERE id BETWEEN "
                        + from + " AND " + (from + 19));
                shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'Renamed ' || " + r.nextInt(1000)
                        + " WHERE id = " + r.nextInt(1, 2000));
                writes.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "live-writer");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(90)).until(() ->
                    shop.count(Side.V2, "SELECT count(*) FROM shop_v2.orders") == 4000);
            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() >= 20);

            // hold a lock on one v2 row, so the forward lane stalls on it with this v1 change (and those after it)
            // in flight during the first read; it is released while drift waits for the lanes
            Cli.Run clean;
            try (Connection lock = shop.connect(Side.V2)) {
                lock.setAutoCommit(false);
                try (Statement st = lock.createStatement()) {
                    st.execute("SELECT 1 FROM shop_v2.clients WHERE id = 1999 FOR UPDATE");
                }
                shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'in flight' WHERE id = 1999");
                Thread release = new Thread(() -> {
                    try {
                        Thread.sleep(4000);
                        lock.rollback();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "lock-release");
                release.start();
                clean = Cli.run("drift", "-c", config.toString(), "--format", "json");
                release.join();
            }
            assertThat(clean.exit()).as(clean.toString()).isZero();
            JsonNode customers = clean.json().get("tables").get(0);
            assertThat(customers.get("status").asText()).isEqualTo("clean");
            assertThat(customers.get("recheck").get("differingAtFirstRead").asLong()).as(clean.toString())
                    .isGreaterThanOrEqualTo(1);
            assertThat(customers.get("recheck").get("lanesCaughtUp").asBoolean()).isTrue();
            assertThat(customers.get("mismatched").asLong()).isZero();

            // a persistent difference: written on v2 inside a bridge-marked transaction, so no lane carries it
            Cli.writeUnseen(shop, Side.V2, Cli.bridgeName(shop), "UPDATE shop_v2.orders SET total = 9999 WHERE id = 77");
            Cli.Run drift = Cli.run("drift", "-c", config.toString(), "--format", "json");
            assertThat(drift.exit()).as(drift.toString()).isEqualTo(1);
            JsonNode orders = drift.json().get("tables").get(1);
            assertThat(drift.json().get("tables").get(0).get("status").asText()).as(drift.toString()).isEqualTo("clean");
            assertThat(orders.get("mismatched").asLong()).as(drift.toString()).isEqualTo(1);
            assertThat(orders.get("missingOnV2").asLong() + orders.get("extraOnV2").asLong()).isZero();
            assertThat(orders.get("samples").get(0).get("key").get("id").asLong()).isEqualTo(77);
            assertThat(orders.get("recheck").get("rechecked").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(orders.get("recheck").get("lanesCaughtUp").asBoolean()).as(drift.toString()).isTrue();
            assertThat(orders.get("recheck").get("lanes").asText()).contains("lane v1-to-v2 caught up",
                    "lane v2-to-v1 caught up");
            writing.set(false);
            writer.join(30_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> Compare.all(shop, cfg).get(0).clean());
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
        // stopped, with a v1 change the forward lane has not applied: neither drift nor clean can be claimed
        shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'changed while stopped' WHERE id = 5");
        Cli.Run stopped = Cli.run("drift", "-c", config.toString(), "--table", "customers");
        assertThat(stopped.exit()).as(stopped.toString()).isEqualTo(2);
        assertThat(stopped.out()).contains("COULD NOT CHECK: customers -> clients: 1 difference(s) remain",
                "lane v1-to-v2 is stopped and behind", "start the bridge so it catches up");
        assertThat(stopped.out() + stopped.err()).doesNotContain("\tat ");
    }
}
