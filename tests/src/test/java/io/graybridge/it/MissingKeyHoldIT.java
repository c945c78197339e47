package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.apply.CrashPoints;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A key the batch's locked read found missing, held to the commit on a PostgreSQL target (ARCHITECTURE.md, "Deletes",
 * "Missing keys on PostgreSQL targets"), made deterministic with the test-only pause ({@link CrashPoints#pauseWith}).
 * Under {@code v1-wins} both sides delete customer 1 while the bridge is down, so lane v1-to-v2 (into the losing side,
 * which applies every change) delivers v1's delete to a v2 that no longer has the row: the batch writes nothing to the
 * key, and without the hold v2's application could insert it before the batch commits; that insert would then count on
 * v1 as concurrent with v1's delete, lose, and the sides would differ.
 */
class MissingKeyHoldIT {
    private static final String INTO_LOSING = "v1-to-v2";

    @AfterEach
    void noPause() {
        CrashPoints.pauseWith(null);
    }

    /** The application's insert made while the batch holds the key waits for the batch's commit; the sides converge. */
    @Test
    void shouldMakeAnApplicationInsertOfAHeldKeyWaitForTheBatchsCommit() throws Exception {
        try (EngineShop shop = EngineShop.create("mkhold", new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL))) {
            BridgeConfig cfg = raceWhileDown(shop);
            Pause pause = new Pause("after-hold");
            CrashPoints.pauseWith(pause);
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                assertThat(pause.reached.await(90, TimeUnit.SECONDS)).as("lane %s paused after its hold", INTO_LOSING)
                        .isTrue();
                CompletableFuture<Long> insert = CompletableFuture.supplyAsync(() -> appInsert(shop));
                Thread.sleep(1_500);
                boolean waited = !insert.isDone();
                long released = System.nanoTime();
                pause.release.countDown();
                long done = insert.get(30, TimeUnit.SECONDS);
                assertThat(waited).as("the application's insert of the held key still waiting after 1.5 s").isTrue();
                assertThat(done).as("the insert completed after the batch was let go").isGreaterThan(released);

                // the insert followed the batch (v1's delete) on v2, so it crosses to v1 as a plain insert
                List<String> expected = customers("1|app|null|100|A");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    assertThat(shop.customers(Side.V1)).as("v1 customers; %s", state(shop)).isEqualTo(expected);
                    assertThat(shop.customers(Side.V2)).as("v2 customers; %s", state(shop)).isEqualTo(expected);
                    // the hold's insert and delete are the bridge's own writes: dropped as its echo, not delivered
                    assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied")).isEqualTo(3);
                    assertThat(shop.progress(Side.V2, INTO_LOSING, "changes_applied")).isEqualTo(41);
                });
                assertThat(Compare.clean(shop, cfg)).as(Compare.describe(shop, cfg)).isTrue();
            }
        }
    }

    /**
     * The application's insert committed between the locked read and the hold makes the hold find the key taken: the
     * batch is retried, reads the row, and v1's delete (the winner) removes it on both sides.
     */
    @Test
    void shouldRetryTheBatchWhenTheApplicationInsertedAMissingKeyBeforeTheHold() throws Exception {
        try (EngineShop shop = EngineShop.create("mkhold", new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL))) {
            BridgeConfig cfg = raceWhileDown(shop);
            Pause pause = new Pause("before-hold");
            CrashPoints.pauseWith(pause);
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                assertThat(pause.reached.await(90, TimeUnit.SECONDS)).as("lane %s paused before its hold", INTO_LOSING)
                        .isTrue();
                CompletableFuture.supplyAsync(() -> appInsert(shop)).get(10, TimeUnit.SECONDS); // nothing holds it yet
                pause.release.countDown();

                List<String> expected = customers();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    assertThat(shop.customers(Side.V1)).as("v1 customers; %s", state(shop)).isEqualTo(expected);
                    assertThat(shop.customers(Side.V2)).as("v2 customers; %s", state(shop)).isEqualTo(expected);
                    assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied")).isEqualTo(3);
                    assertThat(shop.progress(Side.V2, INTO_LOSING, "changes_applied")).isEqualTo(41);
                });
                assertThat(Compare.clean(shop, cfg)).as(Compare.describe(shop, cfg)).isTrue();
            }
        }
    }

    /**
     * A key whose image v2's table refuses (a CHECK added while the bridge is down rejects customer 1's name) is not
     * held: the batch goes on with it unheld, v1's delete still wins on both sides, and the lane counts the key
     * ({@code graybridge_keys_not_held_total}).
     */
    @Test
    void shouldCountAKeyWhoseImageTheTableRefusesAsNotHeldAndGoOnUnheld() throws Exception {
        try (EngineShop shop = EngineShop.create("mkhold", new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL))) {
            BridgeConfig cfg = raceWhileDown(shop);
            shop.execute(Side.V2, "ALTER TABLE " + shop.table(Side.V2, "clients")
                    + " ADD CONSTRAINT no_c1 CHECK (full_name <> 'c1')");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                List<String> expected = customers();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    assertThat(shop.customers(Side.V1)).as("v1 customers; %s", state(shop)).isEqualTo(expected);
                    assertThat(shop.customers(Side.V2)).as("v2 customers; %s", state(shop)).isEqualTo(expected);
                    // v2's update and delete (no application insert in this case)
                    assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied")).isEqualTo(2);
                    assertThat(shop.progress(Side.V2, INTO_LOSING, "changes_applied")).isEqualTo(41);
                });
                assertThat(bridge.lane(Direction.FORWARD).orElseThrow().stats().keysNotHeld())
                        .as("customer 1, refused by v2's CHECK at the hold").isEqualTo(1);
                assertThat(bridge.lane(Direction.BACKWARD).orElseThrow().stats().keysNotHeld())
                        .as("v1 takes the reverse lane's hold").isZero();
                assertThat(Compare.clean(shop, cfg)).as(Compare.describe(shop, cfg)).isTrue();
            }
        }
    }

    /**
     * Customers 1 and 2 on both sides, a v2 update that crossed (so each lane has delivered something), customers 3 to
     * 40, then, with the bridge down, both sides delete customer 1.
     */
    private static BridgeConfig raceWhileDown(EngineShop shop) throws Exception {
        BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: v1-wins\n"), shop.env());
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            for (Lane lane : bridge.lanes()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            }
            shop.insertCustomers(1, 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 2);
            shop.execute(Side.V2, "UPDATE " + shop.table(Side.V2, "clients") + " SET email = 'x@shop.test' WHERE id = 2");
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.inSync()
                    && shop.customers(Side.V1).get(1).contains("x@shop.test"));
            // new keys decided by knowledge: each held by the insert that writes it (a run this long goes as one COPY)
            shop.insertCustomers(3, 40);
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 40 && shop.inSync());
        }
        shop.execute(Side.V1, "DELETE FROM " + shop.table(Side.V1, "customers") + " WHERE id = 1");
        shop.execute(Side.V2, "DELETE FROM " + shop.table(Side.V2, "clients") + " WHERE id = 1");
        return cfg;
    }

    /** {@code first} (customer 1, if any), then customers 2 to 40 as the fixture leaves them. */
    private static List<String> customers(String... first) {
        List<String> out = new java.util.ArrayList<>(List.of(first));
        out.add("2|c2|x@shop.test|2|A");
        for (int id = 3; id <= 40; id++) {
            out.add(id + "|c" + id + "|null|" + id + "|A");
        }
        return out;
    }

    /** Both sides' rows, conflicts and key writes, for a failure message. */
    private static String state(EngineShop shop) {
        StringBuilder sb = new StringBuilder();
        for (Side side : Side.values()) {
            sb.append(side.id()).append(": customers ").append(shop.customers(side)).append(", conflicts ")
                    .append(shop.rows(side, "SELECT lane, kind, winner, row_key FROM " + shop.metadataSchema()
                            + ".conflict_log ORDER BY id"))
                    .append(", key_write ").append(shop.rows(side, "SELECT lane, row_key, write_position, tombstone FROM "
                            + shop.metadataSchema() + ".key_write ORDER BY lane, row_key")).append("; ");
        }
        return sb.toString();
    }

    /** v2's application inserts customer 1 again; returns when its insert committed ({@link System#nanoTime}). */
    private static long appInsert(EngineShop shop) {
        shop.execute(Side.V2, "INSERT INTO " + shop.table(Side.V2, "clients") + " (id, full_name, balance)"
                + " VALUES (1, 'app', 1.00)");
        return System.nanoTime();
    }

    /** Pauses the first batch of lane v1-to-v2 that reaches {@code where} until released. */
    private static final class Pause implements CrashPoints.Pause {
        final String where;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean once = new AtomicBoolean();

        Pause(String where) {
            this.where = where;
        }

        @Override
        public void at(String point, String lane) throws InterruptedException {
            if (point.equals(where) && lane.equals(INTO_LOSING) && once.compareAndSet(false, true)) {
                reached.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
        }
    }
}
