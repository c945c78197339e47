package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code graybridge config validate} against the live schemas, as an operator runs it. */
class ConfigValidateIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("validate");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private BridgeProcess validate(Path config) throws Exception {
        return BridgeProcess.start(List.of("config", "validate", "-c", config.toString()), shop.env(),
                shop.dir().resolve("validate.log"));
    }

    @Test
    void shouldAcceptTheShopAndPrintTheEffectiveConfigWithoutSecrets() throws Exception {
        BridgeProcess run = validate(shop.writeConfig(""));
        assertThat(run.awaitExit(60)).as(run.output()).isZero();
        assertThat(run.output()).contains("is valid", "shop_v1", "slot-name");
    }

    @Test
    void shouldReportEveryLiveSchemaProblemAtOnceWithTheMappingLine() throws Exception {
        Path mapping = shop.dir().resolve("shop.yaml");
        Files.writeString(mapping, Files.readString(RepoPaths.config().resolve("mappings/shop.yaml"))
                .replace("v1: balance_cents", "v1: balance_cent"));
        Path config = shop.writeConfig("");
        Files.writeString(config, Files.readString(config).replaceFirst("mapping: .*", "mapping: " + mapping));
        shop.execute("ALTER TABLE shop_v1.orders DROP CONSTRAINT orders_pkey");

        BridgeProcess run = validate(config);
        assertThat(run.awaitExit(60)).as(run.output()).isEqualTo(2);
        String out = run.output();
        String ruleLine = mapping + ":" + (lineOf(mapping, "v1: balance_cent") + 0);
        assertThat(out)
                .contains(ruleLine + ": mapping 'customers' names column 'balance_cent'")
                .contains("v1 has: id, name, email, balance_cents")
                .contains("'shop_v1.orders' on v1 has no primary key")
                .doesNotContain("\tat ");
        assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'"))
                .as("validate changes nothing").isZero();
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
