package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code graybridge gate} against a running (then stopped) two-way bridge on a real PostgreSQL. */
class GateIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("gate");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private static List<String> failed(Cli.Run run) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : run.json().get("reasons")) {
            if (r.get("status").asText().equals("FAIL")) {
                out.add(r.get("check").asText() + ": " + r.get("detail").asText());
            }
        }
        return out;
    }

    @Test
    void shouldPassOnlyWhenCleanAndCaughtUpAndFailWithEveryReasonOtherwise() throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) SELECT g, 'c' || g, g"
                + " FROM generate_series(1, 300) g");
        Path yaml = shop.writeTwoWayConfig("primary-wins", "");
        BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
        Path config = Cli.withInlinePassword(shop, yaml, "gate.yaml", "gate:\n  max-lag-seconds: 5\n");
        Path strict = Cli.withInlinePassword(shop, yaml, "strict.yaml", "gate:\n  max-drift-age-seconds: 1\n");
        String c = config.toString();
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") == 300);
            shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'from v2' WHERE id = 3");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers WHERE name = 'from v2'") == 1);

            Cli.Run missing = Cli.run("gate", "promote", "-c", c, "--format", "json");
            assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
            assertThat(failed(missing)).as(missing.toString()).containsExactly(
                    "drift: no drift result: run `graybridge drift`, or `gate --reconcile` to run one now");

            Cli.Run pass = Cli.run("gate", "promote", "-c", c, "--reconcile");
            assertThat(pass.exit()).as(pass.toString()).isZero();
            assertThat(pass.out()).startsWith("gate promote: PASS\n")
                    .contains("PASS    drift        result from", "CLEAN: 2 table(s)")
                    .contains("PASS    lag          lane v1-to-v2 lag", "PASS    lag          lane v2-to-v1 lag")
                    .contains("PASS    dead-letters 0 dead letter(s) (limit 0)\n")
                    .contains("PASS    errors       0 error(s)");
            Cli.Run stored = Cli.run("gate", "rollback", "-c", c, "--format", "json");
            assertThat(stored.exit()).as("the stored, fresh result is used: " + stored).isZero();
            assertThat(stored.json().get("verdict").asText()).isEqualTo("PASS");
            assertThat(stored.json().get("pass").asBoolean()).isTrue();
            assertThat(shop.count(Side.V1, "SELECT count(*) FROM graybridge.gate_decision WHERE verdict = 'pass'"
                    + " AND action IN ('promote', 'rollback')")).isEqualTo(2);

            Thread.sleep(1_500);
            Cli.Run stale = Cli.run("gate", "promote", "-c", strict.toString(), "--format", "json");
            assertThat(stale.exit()).as(stale.toString()).isEqualTo(1);
            assertThat(failed(stale)).singleElement().asString().startsWith("drift: the drift result is stale");

            // one open dead letter, and one already retried (does not count)
            shop.execute(Side.V1, "INSERT INTO graybridge.dead_letter (bridge, lane, source_table, row_key, op, reason,"
                    + " policy, status) VALUES ('" + Cli.bridgeName(shop) + "', 'v1-to-v2', 'customers', '{id=1}', 'UPDATE',"
                    + " 'failed', 'pause', 'open'), ('" + Cli.bridgeName(shop) + "', 'v1-to-v2', 'customers', '{id=2}',"
                    + " 'UPDATE', 'failed', 'pause', 'retried')");
            Cli.Run dead = Cli.run("gate", "promote", "-c", c, "--format", "json");
            assertThat(dead.exit()).as(dead.toString()).isEqualTo(1);
            assertThat(failed(dead)).containsExactly("dead-letters: 1 dead letter(s) (limit 0)");
            shop.execute(Side.V1, "DELETE FROM graybridge.dead_letter");

            Cli.writeUnseen(shop, Side.V2, Cli.bridgeName(shop), "UPDATE shop_v2.clients SET balance = 1234 WHERE id = 9");
            Cli.Run drift = Cli.run("gate", "promote", "-c", c, "--reconcile", "--format", "json");
            assertThat(drift.exit()).as(drift.toString()).isEqualTo(1);
            assertThat(failed(drift)).singleElement().asString()
                    .startsWith("drift: result from").contains("DRIFT: 1 of 2 table(s) differ", "graybridge repair");
            Cli.run("repair", "-c", c, "--from", "v1");
        }
        // stopped with a v1 change not applied: the lane is behind, and not running
        shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'late' WHERE id = 11");
        Cli.Run lag = Cli.run("gate", "promote", "-c", c, "--reconcile", "--format", "json");
        assertThat(lag.exit()).as(lag.toString()).isIn(1);
        assertThat(failed(lag)).as(lag.toString()).anySatisfy(r -> assertThat(r).startsWith("lag: lane v1-to-v2 is behind")
                .contains("lane v1-to-v2 is stopped and behind"));
        assertThat(failed(lag)).anySatisfy(r -> assertThat(r).startsWith("errors: 2 error(s)")
                .contains("enabled lane(s) not running: v1-to-v2, v2-to-v1"));
        assertThat(lag.json().get("reasons").get(0).get("status").asText()).as("drift: could not check").isEqualTo("UNKNOWN");
    }
}
