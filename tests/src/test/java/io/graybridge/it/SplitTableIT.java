package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.reconcile.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table split (v1 suppliers -> v2 suppliers + supplier_addresses) and a column split (contact_name ->
 * first_name, last_name) end to end through both lanes on a real PostgreSQL (config/mappings/shop.yaml).
 */
class SplitTableIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("split");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private BridgeConfig config() throws IOException {
        Path file = shop.writeTwoWayConfig("primary-wins", "");
        Files.writeString(file, Files.readString(file).replace("tables: [customers, orders]",
                "tables: [customers, orders, suppliers]"));
        return ConfigLoader.load(file, shop.env());
    }

    private List<String> rows(Side side, String sql) {
        return shop.rows(side, sql);
    }

    private static final String V2_SUPPLIERS = "SELECT id, first_name, last_name, status FROM shop_v2.suppliers ORDER BY id";
    private static final String V2_ADDRESSES = "SELECT supplier_id, street, city FROM shop_v2.supplier_addresses"
            + " ORDER BY supplier_id";
    private static final String V1_SUPPLIERS = "SELECT id, contact_name, status, street, city FROM shop_v1.suppliers"
            + " ORDER BY id";

    @Test
    void shouldSplitInsertsUpdatesDeletesAndKeyChangesIntoBothPartsAndMergeThemBack() throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name, status, street, city) VALUES"
                + " (1, 'Ada Lovelace', 'A', '12 St James Square', 'London'),"
                + " (2, 'Charles Babbage', 'I', NULL, NULL)");
        BridgeConfig cfg = config();
        assertThat(cfg.tables()).extracting(m -> m.v2Table()).contains("suppliers", "supplier_addresses");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> forward.stats().snapshotRows() == 2
                    || forward.state() != Lane.State.RUNNING);
            shop.awaitSlotsActive(2);
            assertThat(rows(Side.V2, V2_SUPPLIERS)).as("backfill splits every row and its contact name").containsExactly(
                    "1|Ada|Lovelace|active", "2|Charles|Babbage|inactive");
            assertThat(rows(Side.V2, V2_ADDRESSES)).containsExactly("1|12 St James Square|London", "2|null|null");

            // v1 writes: an insert, an update of one part's columns, an update of the other's, a key change, a delete
            shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name, street, city)"
                    + " VALUES (3, 'Grace Brewster Hopper', '1 Navy Yard', 'Arlington')");
            shop.execute(Side.V1, "UPDATE shop_v1.suppliers SET street = '5 Rue de Rivoli', city = 'Paris' WHERE id = 1");
            shop.execute(Side.V1, "UPDATE shop_v1.suppliers SET contact_name = 'Charles B', status = 'A' WHERE id = 2");
            shop.execute(Side.V1, "UPDATE shop_v1.suppliers SET id = 20 WHERE id = 2");
            shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name) VALUES (4, 'Short Lived')");
            shop.execute(Side.V1, "DELETE FROM shop_v1.suppliers WHERE id = 4");
            await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().streamedChanges() >= 6
                    || forward.state() != Lane.State.RUNNING);
            assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V2, V2_SUPPLIERS).size() == 3);
            assertThat(rows(Side.V2, V2_SUPPLIERS)).containsExactly("1|Ada|Lovelace|active",
                    "3|Grace|Brewster Hopper|active", "20|Charles|B|active");
            assertThat(rows(Side.V2, V2_ADDRESSES)).as("owner first on insert, last on delete: the foreign key holds")
                    .containsExactly("1|5 Rue de Rivoli|Paris", "3|1 Navy Yard|Arlington", "20|null|null");
            assertThat(Compare.all(shop, cfg)).as("the reconciler compares the split part by part")
                    .allMatch(TableComparison::clean);

            // v2 writes: a new supplier with its address in one transaction, an address change, a name change,
            // the deletion of a whole supplier (address first, as the foreign key wants)
            shop.execute(Side.V2, "BEGIN; INSERT INTO shop_v2.suppliers (id, first_name, last_name, status)"
                    + " VALUES (40, 'Alan', 'Turing', 'active'); INSERT INTO shop_v2.supplier_addresses"
                    + " VALUES (40, '2 Bletchley Park', 'Milton Keynes'); COMMIT");
            shop.execute(Side.V2, "UPDATE shop_v2.supplier_addresses SET city = 'Falls Church' WHERE supplier_id = 3");
            shop.execute(Side.V2, "UPDATE shop_v2.suppliers SET last_name = 'Byron-Lovelace' WHERE id = 1");
            shop.execute(Side.V2, "BEGIN; DELETE FROM shop_v2.supplier_addresses WHERE supplier_id = 20;"
                    + " DELETE FROM shop_v2.suppliers WHERE id = 20; COMMIT");
            await().atMost(Duration.ofSeconds(60)).until(() -> backward.stats().streamedChanges() >= 6
                    || backward.state() != Lane.State.RUNNING);
            assertThat(backward.state()).as("failure: %s", backward.failure()).isEqualTo(Lane.State.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V1, V1_SUPPLIERS).size() == 3);
            assertThat(rows(Side.V1, V1_SUPPLIERS)).as("both parts merge back into one v1 row").containsExactly(
                    "1|Ada Byron-Lovelace|A|5 Rue de Rivoli|Paris",
                    "3|Grace Brewster Hopper|A|1 Navy Yard|Falls Church",
                    "40|Alan Turing|A|2 Bletchley Park|Milton Keynes");
            await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, cfg));

            // an address deleted on its own clears the v1 row's address columns; the supplier stays
            shop.execute(Side.V2, "DELETE FROM shop_v2.supplier_addresses WHERE supplier_id = 40");
            await().atMost(Duration.ofSeconds(30)).until(() -> rows(Side.V1, V1_SUPPLIERS).contains(
                    "40|Alan Turing|A|null|null"));
            assertThat(forward.stats().echoesSuppressed()).as("the bridge's own writes on v1 were captured and dropped")
                    .isPositive();
            assertThat(forward.stats().streamedChanges()).as("v1-to-v2 applied exactly v1's own 7 changes (a key change"
                    + " is a delete and an insert): no echo").isEqualTo(7);
            assertThat(backward.stats().streamedChanges()).as("v2-to-v1 applied exactly v2's own 7 changes").isEqualTo(7);
            assertThat(shop.count(Side.V1, "SELECT count(*) FROM graybridge.conflict_log")
                    + shop.count(Side.V2, "SELECT count(*) FROM graybridge.conflict_log"))
                    .as("no write raced another: no conflict").isZero();
        }
    }
}
