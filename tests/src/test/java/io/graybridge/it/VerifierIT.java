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
import io.graybridge.reconcile.live.ContinuousVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Continuous verification: a foreign write on v2 after the bridge wrote a key (one-way sync, so no lane
 * carries it back) is found within seconds and shown by {@code status}; a mismatch that a later change to
 * the same key resolves, and the ordinary traffic around it, are not findings.
 */
class VerifierIT {
    /** Long enough that the foreign write below lands before the first look even on a busy machine. */
    private static final int DELAY_MS = 4000;
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("verifier");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    @Test
    void shouldFindAForeignWriteOnTheTargetWithinSecondsAndShowItInStatus() throws Exception {
        Path yaml = shop.writeConfig("");
        Files.writeString(yaml, Files.readString(yaml) + "verify:\n  delay-ms: " + DELAY_MS + "\n");
        BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
        Path config = Cli.withInlinePassword(shop, yaml, "cli.yaml", "");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            shop.awaitSlotsActive(1);
            ContinuousVerifier verifier = bridge.verifier().orElseThrow();
            shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) SELECT g, 'c' || g, g"
                    + " FROM generate_series(1, 50) g");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") == 50);
            // within the verifier's delay: a foreign write on key 7, and on key 8 one that v1's next change resolves
            shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'tampered' WHERE id IN (7, 8)");
            shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'fixed by v1' WHERE id = 8");
            shop.execute(Side.V1, "UPDATE shop_v1.customers SET balance_cents = 0 WHERE id BETWEEN 20 AND 40");
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> verifier.findings() >= 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            await().atMost(Duration.ofSeconds(30)).until(() -> verifier.waiting() == 0);
            Thread.sleep(DELAY_MS + 1000); // a second look at anything re-queued
            assertThat(verifier.findings()).as("only key 7 persists").isEqualTo(1);
            assertThat(verifier.newest().key()).isEqualTo("{id=7}");
            assertThat(verifier.newest().detail()).isEqualTo("mismatch at {id=7} in column(s) full_name");
            // keys 8 and 20-40, applied again while they waited, are checked once, after their newest change
            assertThat(verifier.checked()).as("50 keys, a second look at key 7, maybe an early look at the updated ones")
                    .isBetween(51L, 50L + 1 + 22);
            assertThat(verifier.overflowed()).isZero();
            assertThat(seconds).as("found within seconds of the foreign write").isLessThan(15);
            assertThat(shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE id = 8 AND full_name = 'fixed by v1'"))
                    .isEqualTo(1);

            Cli.Run status = Cli.run("status", "-c", config.toString(), "--format", "json", "--sample-seconds", "0");
            assertThat(status.exit()).as(status.toString()).isZero();
            JsonNode v = status.json().get("verification");
            assertThat(v.get("findings").asLong()).as(status.toString()).isEqualTo(1);
            assertThat(v.get("keys_checked").asLong()).isEqualTo(verifier.checked());
            assertThat(v.get("newest_finding").get("key").asText()).isEqualTo("{id=7}");
            assertThat(v.get("newest_finding").get("mapping").asText()).isEqualTo("customers");

            Cli.Run table = Cli.run("status", "-c", config.toString(), "--sample-seconds", "0");
            assertThat(table.out()).contains("verification: on,", "1 finding(s)",
                    "customers: mismatch at {id=7} in column(s) full_name");
        }
    }
}
