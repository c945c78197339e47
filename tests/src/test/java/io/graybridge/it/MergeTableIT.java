package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table merge (v1 products + product_stock -> v2 products, config/mappings/shop.yaml) end to end through
 * both lanes on a real PostgreSQL: backfill, then streamed inserts, updates of each part's columns, key
 * changes and deletes from either side, then {@code graybridge drift} finds no difference.
 */
class MergeTableIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("merge");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private Path configFile() throws IOException {
        Path file = shop.writeTwoWayConfig("primary-wins", "");
        Files.writeString(file, Files.readString(file).replace("tables: [customers, orders]", "tables: [products]"));
        return file;
    }

    private List<String> rows(Side side, String sql) {
        return shop.rows(side, sql);
    }

    private static final String V2_PRODUCTS = "SELECT id, name, price, stock, warehouse FROM shop_v2.products ORDER BY id";
    private static final String V1_PRODUCTS = "SELECT p.id, p.name, p.price_cents, s.product_id, s.quantity, s.warehouse"
            + " FROM shop_v1.products p LEFT JOIN shop_v1.product_stock s ON s.product_id = p.id ORDER BY p.id";
    private static final String V1_STOCK = "SELECT product_id, quantity, warehouse FROM shop_v1.product_stock ORDER BY 1";

    @Test
    void shouldMergeBothV1TablesIntoOneV2TableAndSplitItBackWithKeyChangesAndDeletes() throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.products VALUES (1, 'Lamp', 1999), (2, 'Desk', 12900), (3, 'Chair', 4500);"
                + " INSERT INTO shop_v1.product_stock VALUES (1, 5, 'Lyon'), (2, 0, NULL), (3, 12, 'Paris')");
        Path file = configFile();
        BridgeConfig cfg = ConfigLoader.load(file, shop.env());
        assertThat(cfg.tables()).as("listing products brings both parts of the merge")
                .extracting(TableMapping::v1Table).containsExactlyInAnyOrder("products", "product_stock");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> forward.stats().snapshotRows() == 6
                    || forward.state() != Lane.State.RUNNING);
            assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V2, V2_PRODUCTS).size() == 3);
            assertThat(rows(Side.V2, V2_PRODUCTS)).as("backfill merges each product with its stock").containsExactly(
                    "1|Lamp|19.99|5|Lyon", "2|Desk|129.00|0|null", "3|Chair|45.00|12|Paris");

            // v1 writes: a product with its stock in one transaction, an update of each part's columns, a key
            // change (the foreign key cascades it to the stock row) and a delete (cascaded to the stock row)
            shop.execute(Side.V1, "BEGIN; INSERT INTO shop_v1.products VALUES (4, 'Shelf', 3500);"
                    + " INSERT INTO shop_v1.product_stock VALUES (4, 7, 'Lyon'); COMMIT");
            shop.execute(Side.V1, "UPDATE shop_v1.products SET price_cents = 2499 WHERE id = 1");
            shop.execute(Side.V1, "UPDATE shop_v1.product_stock SET quantity = 3, warehouse = 'Paris' WHERE product_id = 2");
            shop.execute(Side.V1, "UPDATE shop_v1.products SET id = 30 WHERE id = 3");
            shop.execute(Side.V1, "DELETE FROM shop_v1.products WHERE id = 2");
            // a key change and a delete, each with its cascaded stock change, are 2 and 2 captured changes
            // (PostgreSQL reports a key update as a delete and an insert): 2 + 1 + 1 + 4 + 2
            await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().streamedChanges() >= 10
                    || forward.state() != Lane.State.RUNNING);
            assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V2, V2_PRODUCTS).equals(List.of(
                    "1|Lamp|24.99|5|Lyon", "4|Shelf|35.00|7|Lyon", "30|Chair|45.00|12|Paris")));
            assertThat(Compare.all(shop, cfg)).as("the reconciler compares the merge part by part")
                    .allMatch(TableComparison::clean);

            // v2 writes: a new product, a stock change, a change of both parts' columns, a key change, a delete
            shop.execute(Side.V2, "INSERT INTO shop_v2.products VALUES (50, 'Globe', 15.00, 2, 'Nantes')");
            shop.execute(Side.V2, "UPDATE shop_v2.products SET stock = 4 WHERE id = 1");
            shop.execute(Side.V2, "UPDATE shop_v2.products SET name = 'Desk lamp', warehouse = 'Paris' WHERE id = 1");
            shop.execute(Side.V2, "UPDATE shop_v2.products SET id = 40 WHERE id = 4");
            shop.execute(Side.V2, "DELETE FROM shop_v2.products WHERE id = 30");
            await().atMost(Duration.ofSeconds(60)).until(() -> backward.stats().streamedChanges() >= 6
                    || backward.state() != Lane.State.RUNNING);
            assertThat(backward.state()).as("failure: %s", backward.failure()).isEqualTo(Lane.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V1, V1_PRODUCTS).size() == 3);
            assertThat(rows(Side.V1, V1_PRODUCTS)).as("each v2 row is split back into both v1 tables").containsExactly(
                    "1|Desk lamp|2499|1|4|Paris", "40|Shelf|3500|40|7|Lyon", "50|Globe|1500|50|2|Nantes");
            assertThat(rows(Side.V1, V1_STOCK)).as("no stock row outlived its product").hasSize(3);

            // drift, as an operator runs it, while both lanes run
            Path inline = Cli.withInlinePassword(shop, file, "drift.yaml", "");
            List<Cli.Run> runs = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Cli.Run r = Cli.run("drift", "-c", inline.toString(), "--format", "json");
                runs.add(r);
                return r.exit() != 2;
            });
            Cli.Run drift = runs.get(runs.size() - 1);
            assertThat(drift.exit()).as(drift.toString()).isZero();
            List<String> compared = new ArrayList<>();
            for (JsonNode t : drift.json().get("tables")) {
                assertThat(t.get("status").asText()).as(drift.toString()).isEqualTo("clean");
                compared.add(t.toString());
            }
            assertThat(compared).as(drift.toString()).hasSize(2);

            // a stock row deleted on its own clears stock and warehouse of the v2 product, which stays
            shop.execute(Side.V1, "DELETE FROM shop_v1.product_stock WHERE product_id = 50");
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V2, V2_PRODUCTS).contains("50|Globe|15.00|null|null"));

            assertThat(backward.stats().echoesSuppressed()).as("the bridge's own writes on v2 were captured and dropped")
                    .isPositive();
            assertThat(forward.stats().echoesSuppressed()).as("the bridge's own writes on v1 were captured and dropped")
                    .isPositive();
            assertThat(forward.stats().streamedChanges()).as("v1-to-v2 applied exactly v1's own 11 changes: no echo")
                    .isEqualTo(11);
            assertThat(backward.stats().streamedChanges()).as("v2-to-v1 applied exactly v2's own 6 changes: no echo")
                    .isEqualTo(6);
            assertThat(shop.count(Side.V1, "SELECT count(*) FROM graybridge.conflict_log")
                    + shop.count(Side.V2, "SELECT count(*) FROM graybridge.conflict_log"))
                    .as("no write raced another: no conflict").isZero();
        }
    }
}
