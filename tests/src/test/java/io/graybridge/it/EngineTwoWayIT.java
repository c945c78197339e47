package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both lanes, each scenario written once and run on every engine pair (PostgreSQL -> PostgreSQL, MariaDB -> MariaDB
 * and both cross-engine pairs): writes from either side cross through the mapping once and never come back (loop
 * guard), also across a restart.
 */
class EngineTwoWayIT {

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), new Engines(Engine.MARIADB, Engine.MARIADB),
                new Engines(Engine.MARIADB, Engine.POSTGRESQL), new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL),
                new Engines(Engine.MARIADB, Engine.MYSQL));
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldCarryWritesFromBothSidesThroughTheMappingBothWays(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("eboth", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: primary-wins\n"), shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
                awaitStreaming(bridge);
                shop.execute(Side.V1, "INSERT INTO " + customers + " (id, name, balance_cents) VALUES (1, 'Ada', 1250)");
                shop.execute(Side.V2, "INSERT INTO " + clients + " (id, full_name, balance, tier) VALUES (2, 'Bo', 3.05, 'gold')");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        shop.count(Side.V2, "SELECT count(*) FROM " + clients + " WHERE id = 1 AND balance = 12.50") == 1
                                && shop.count(Side.V1, "SELECT count(*) FROM " + customers + " WHERE id = 2"
                                        + " AND name = 'Bo' AND balance_cents = 305") == 1);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'Ada L.' WHERE id = 1");
                shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 2");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        shop.count(Side.V1, "SELECT count(*) FROM " + customers + " WHERE name = 'Ada L.'") == 1
                                && shop.count(Side.V2, "SELECT count(*) FROM " + clients + " WHERE id = 2") == 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, cfg));
                assertThat(shop.customers(Side.V1)).containsExactly("1|Ada L.|null|1250|A");
                assertThat(forward.stats().conflictsIncomingWon() + forward.stats().conflictsCurrentKept()
                        + backward.stats().conflictsIncomingWon() + backward.stats().conflictsCurrentKept()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldNeverEchoAWriteBackToTheSideItCameFromAlsoAcrossARestart(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("eecho", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, ""), shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
                awaitStreaming(bridge);
                shop.insertCustomers(1, 50);
                shop.execute(Side.V1, "UPDATE " + customers + " SET balance_cents = 7000 WHERE id BETWEEN 11 AND 20");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        shop.count(Side.V2, "SELECT count(*) FROM " + clients + " WHERE balance = 70.00") == 10);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(backward.stats().echoesSuppressed())
                        .as("echoes dropped by v2-to-v1 (applied %s, state %s %s)", backward.stats().streamedChanges(),
                                backward.state(), backward.failure())
                        .isGreaterThanOrEqualTo(60));
                assertThat(backward.stats().streamedChanges()).as("changes the v2-to-v1 lane applied: echoes").isZero();
                assertThat(forward.stats().streamedChanges()).isEqualTo(60);
                // this write's echo reaches the v2-to-v1 lane before or after the restart: never applied either way
                shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 50");
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        shop.count(Side.V2, "SELECT count(*) FROM " + clients + " WHERE id = 50") == 0);
            }
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
                awaitStreaming(bridge);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'from v2' WHERE id = 1");
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        shop.count(Side.V1, "SELECT count(*) FROM " + customers + " WHERE name = 'from v2'") == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> forward.stats().echoesSuppressed() >= 1);
                assertThat(backward.stats().streamedChanges()).as("only the real v2 change crossed").isEqualTo(1);
                assertThat(forward.stats().streamedChanges()).as("its echo did not come back to v2").isZero();
                // the bridge moves backfill -> dual itself once it sees the v1-to-v2 lane streaming (read every second)
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.phase() == Phase.DUAL);
            }
            assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied")).as("echoes applied on v1: none").isEqualTo(1);
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied")).isEqualTo(61);
            assertThat(shop.inSync()).isTrue();
            assertThat(Compare.clean(shop, cfg)).isTrue();

            // status reads both lanes' counters from each target's metadata, whatever the engines
            Cli.Run status = Cli.run("status", "-c", shop.withInlinePasswords(shop.writeConfig(true, "")).toString(),
                    "--format", "json", "--sample-seconds", "0");
            assertThat(status.exit()).as("status: %s", status).isZero();
            assertThat(status.json().get("phase").asText()).isEqualTo("dual");
            for (JsonNode lane : status.json().get("lanes")) {
                boolean forward = lane.get("lane").asText().equals("v1-to-v2");
                Engine source = forward ? engines.v1() : engines.v2();
                assertThat(lane.get("changes_applied").asLong()).as("%s", status).isEqualTo(forward ? 61 : 1);
                assertThat(lane.get("echoes_suppressed").asLong()).as("%s", status).isEqualTo(shop.progress(
                        forward ? Side.V2 : Side.V1, lane.get("lane").asText(), "echoes_suppressed"));
                assertThat(lane.get("position").isTextual()).as("%s", status).isTrue();
                assertThat(lane.get("capture_state_visible").asBoolean()).isEqualTo(source == Engine.POSTGRESQL);
                // a PostgreSQL source: its slot is not in use; a MariaDB source: nothing after the position but echoes
                assertThat(lane.get("state").asText()).as("%s", status)
                        .isEqualTo(source == Engine.POSTGRESQL ? "not running" : "caught up");
            }
        }
    }
}
