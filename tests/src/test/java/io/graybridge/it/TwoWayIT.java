package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both lanes on a real PostgreSQL: writes from either side arrive on the other, and never come back. */
class TwoWayIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("twoway");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private BridgeConfig config(String policy) {
        return ConfigLoader.load(shop.writeTwoWayConfig(policy, ""), shop.env());
    }

    private long progress(Side target, String lane, String column) {
        return shop.count(target, "SELECT COALESCE(max(" + column + "), 0) FROM graybridge.lane_progress WHERE lane = '"
                + lane + "'");
    }

    @Test
    void shouldCarryWritesFromBothSidesThroughTheMappingBothWays() {
        BridgeConfig cfg = config("primary-wins");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            shop.awaitSlotsActive(2);
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) VALUES (1, 'Ada', 1250)");
            shop.execute(Side.V2, "INSERT INTO shop_v2.clients (id, full_name, balance, tier) VALUES (2, 'Bo', 3.05, 'gold')");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE id = 1 AND balance = 12.50") == 1
                            && shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers WHERE id = 2"
                                    + " AND name = 'Bo' AND balance_cents = 305") == 1);
            shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'Ada L.' WHERE id = 1");
            shop.execute(Side.V1, "DELETE FROM shop_v1.customers WHERE id = 2");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers WHERE name = 'Ada L.'") == 1
                            && shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE id = 2") == 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, cfg));
            assertThat(forward.stats().conflictsIncomingWon() + forward.stats().conflictsCurrentKept()
                    + backward.stats().conflictsIncomingWon() + backward.stats().conflictsCurrentKept()).isZero();
        }
    }

    @Test
    void shouldNeverEchoAWriteBackToTheSideItCameFromAlsoAcrossARestart() throws Exception {
        BridgeConfig cfg = config("primary-wins");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            shop.awaitSlotsActive(2);
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 50) g");
            shop.execute(Side.V1, "UPDATE shop_v1.customers SET balance_cents = 7 WHERE id <= 10");
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE balance = 0.07") == 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> backward.stats().echoesSuppressed() >= 60);
            assertThat(backward.stats().streamedChanges()).as("changes the v2-to-v1 lane applied: echoes").isZero();
            // the next write's echo is captured after a restart of the bridge
            shop.execute(Side.V1, "DELETE FROM shop_v1.customers WHERE id = 50");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE id = 50") == 0);
        }
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            shop.awaitSlotsActive(2);
            shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'from v2' WHERE id = 1");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers WHERE name = 'from v2'") == 1);
            assertThat(backward.stats().streamedChanges()).as("only the real v2 change crossed").isEqualTo(1);
            // the bridge moves backfill -> dual itself once it sees the v1-to-v2 lane streaming (read every second)
            await().atMost(Duration.ofSeconds(30)).until(() -> bridge.phase() == io.graybridge.bridge.lifecycle.Phase.DUAL);
        }
        assertThat(progress(Side.V1, "v2-to-v1", "changes_applied")).as("echoes applied on v1: none").isEqualTo(1);
        assertThat(progress(Side.V2, "v1-to-v2", "changes_applied")).isEqualTo(61);
        assertThat(Compare.clean(shop, cfg)).isTrue();

        BridgeProcess status = BridgeProcess.start(List.of("status", "-c", cfg.file().toString(), "--format", "json",
                "--sample-seconds", "0"), shop.env(), shop.dir().resolve("status.log"));
        assertThat(status.awaitExit(60)).as(status.output()).isZero();
        JsonNode doc = new ObjectMapper().readTree(status.output().substring(status.output().indexOf('{')));
        assertThat(doc.path("phase").asText()).isEqualTo("dual");
        JsonNode backward = doc.path("lanes").get(1);
        assertThat(backward.path("lane").asText()).isEqualTo("v2-to-v1");
        assertThat(backward.path("state").asText()).as("the bridge is stopped").isEqualTo("not running");
        assertThat(backward.path("changes_applied").asLong()).isEqualTo(1);
        assertThat(doc.path("lanes").get(0).path("changes_applied").asLong()).isEqualTo(61);
    }
}
