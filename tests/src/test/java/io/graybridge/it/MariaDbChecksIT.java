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
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the bridge refuses on a MariaDB side, with one clear message each, before it changes anything. */
class MariaDbChecksIT {

    @Test
    void shouldRefuseATableWithoutPrimaryKeyNamingItAndCreateNothing() {
        try (EngineShop shop = EngineShop.create("mchk", new Engines(Engine.MARIADB, Engine.MARIADB))) {
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

    @Test
    void shouldRefuseDriftOnAMariaDbSideWithOneMessage() throws Exception {
        try (EngineShop shop = EngineShop.create("mdrift", new Engines(Engine.MARIADB, Engine.POSTGRESQL))) {
            Path config = shop.writeConfig(false, "");
            String password = shop.env().get("GB_IT_PASSWORD_V2");
            if (!password.isEmpty()) { // the CLI reads the process environment: inline the secret in a copy
                config = Files.writeString(config.resolveSibling("inline.yaml"), Files.readString(config)
                        .replace("password-env: GB_IT_PASSWORD_V2", "password: '" + password + "'"));
            }
            Cli.Run drift = Cli.run("drift", "-c", config.toString());
            assertThat(drift.exit()).as(drift.toString()).isEqualTo(2);
            assertThat(drift.err()).contains("graybridge drift reads both sides with the reconciler")
                    .contains("is MariaDB").doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
