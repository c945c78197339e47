package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both lanes, parameterised by engine pair: writes cross once and never come back (loop guard). */
class EngineTwoWayIT {

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.MARIADB), new Engines(Engine.MARIADB, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MARIADB));
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
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
            }
            assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied")).as("echoes applied on v1: none").isEqualTo(1);
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied")).isEqualTo(61);
            assertThat(shop.inSync()).isTrue();

            // status reads both lanes' counters from each target's metadata, whatever the engines
            Cli.Run status = Cli.run("status", "-c", shop.withInlinePasswords(shop.writeConfig(true, "")).toString(),
                    "--format", "json", "--sample-seconds", "0");
            assertThat(status.exit()).as("status: %s", status).isZero();
            for (JsonNode lane : status.json().get("lanes")) {
                boolean forward = lane.get("lane").asText().equals("v1-to-v2");
                Engine source = forward ? engines.v1() : engines.v2();
                assertThat(lane.get("changes_applied").asLong()).as("%s", status).isEqualTo(forward ? 61 : 1);
                assertThat(lane.get("echoes_suppressed").asLong()).as("%s", status).isEqualTo(shop.progress(
                        forward ? Side.V2 : Side.V1, lane.get("lane").asText(), "echoes_suppressed"));
                assertThat(lane.get("position").isTextual()).as("%s", status).isTrue();
                assertThat(lane.get("capture_state_visible").asBoolean()).isEqualTo(source == Engine.POSTGRESQL);
                assertThat(lane.get("state").asText()).as("%s", status)
                        .isEqualTo(source == Engine.POSTGRESQL ? "not running" : "unknown");
            }
        }
    }
}
