package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.error.ProblemsException;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Side;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the bridge refuses on a MariaDB or MySQL 8 side, with one clear message each, before it changes anything; and
 * both lanes as a user with only the README's grants for that engine. The MySQL 8 cases run where Docker exists and
 * are skipped with the reason elsewhere.
 */
class MariaDbChecksIT {

    static Stream<Engine> engines() {
        return Stream.of(Engine.MARIADB, Engine.MYSQL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldRefuseATableWithoutPrimaryKeyNamingItAndCreateNothing(Engine engine) {
        try (EngineShop shop = EngineShop.create("mchk", new Engines(engine, engine))) {
            shop.execute(Side.V1, "ALTER TABLE " + shop.table(Side.V1, "orders") + " DROP PRIMARY KEY");
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(false, ""), shop.env());
            assertThatThrownBy(() -> Bridge.open(cfg))
                    .isInstanceOf(ProblemsException.class)
                    .satisfies(e -> assertThat(((ProblemsException) e).problems()).hasSize(1))
                    .hasMessageContaining(shop.table(Side.V1, "orders") + "' on v1 has no primary key")
                    .hasMessageContaining("ALTER TABLE `" + shop.schema(Side.V1) + "`.`orders` ADD PRIMARY KEY");
            assertThat(shop.count(Side.V1, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"
                    + shop.metadataSchema() + "'")).as("no metadata database on an invalid setup").isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldBackfillStreamAndGuardBothLanesAsAUserWithOnlyTheDocumentedGrants(Engine engine) throws Exception {
        try (EngineShop shop = EngineShop.create("mgrant", new Engines(engine, engine))) {
            shop.insertCustomers(1, 20);
            shop.useLeastPrivilegeBinlogUser();
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, ""), shop.env());
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                io.graybridge.bridge.lane.Lane forward = bridge.lane(io.graybridge.mapping.Direction.FORWARD).orElseThrow();
                io.graybridge.bridge.lane.Lane backward = bridge.lane(io.graybridge.mapping.Direction.BACKWARD).orElseThrow();
                for (io.graybridge.bridge.lane.Lane lane : bridge.lanes()) {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                            .until(() -> lane.isStreaming() || lane.state() != io.graybridge.bridge.lane.Lane.State.RUNNING);
                    assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure())
                            .isEqualTo(io.graybridge.bridge.lane.Lane.State.RUNNING);
                }
                shop.execute(Side.V1, "UPDATE " + shop.table(Side.V1, "customers") + " SET name = 'v1' WHERE id = 1");
                shop.execute(Side.V2, "UPDATE " + shop.table(Side.V2, "clients") + " SET full_name = 'v2' WHERE id = 2");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(forward.state()).as("failure: %s", forward.failure())
                            .isEqualTo(io.graybridge.bridge.lane.Lane.State.RUNNING);
                    assertThat(backward.state()).as("failure: %s", backward.failure())
                            .isEqualTo(io.graybridge.bridge.lane.Lane.State.RUNNING);
                    assertThat(shop.customers(Side.V2)).isEqualTo(shop.customers(Side.V1));
                    assertThat(shop.rows(Side.V1, "SELECT name FROM " + shop.table(Side.V1, "customers")
                            + " WHERE id IN (1, 2) ORDER BY id")).containsExactly("v1", "v2");
                });
                // the reconciler needs no grant beyond these: catalog reads, the watermark row, the binlog position
                String cli = shop.withInlinePasswords(shop.writeConfig(true, "")).toString();
                Cli.Run drift = Cli.run("drift", "-c", cli);
                assertThat(drift.exit()).as("drift as the least-privileged user: %s", drift).isZero();
                Cli.Run gate = Cli.run("gate", "promote", "-c", cli);
                assertThat(gate.exit()).as("gate as the least-privileged user: %s", gate).isZero();
                assertThat(forward.stats().snapshotRows()).isEqualTo(20);
                assertThat(forward.stats().streamedChanges()).as("v1's change, not v2's echo").isEqualTo(1);
                assertThat(backward.stats().streamedChanges()).as("v2's change, not v1's echo").isEqualTo(1);
            }
        }
    }
}
