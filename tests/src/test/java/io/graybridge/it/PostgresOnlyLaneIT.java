package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.error.ProblemsException;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only a PostgreSQL source has, on a real PostgreSQL with real Debezium capture: its replication slot (a stored
 * position whose slot is gone) and replica identity (checked with the primary keys before anything starts). The
 * lane scenarios every engine pair runs (backfill, insert/update/delete/key change, restart, large transactions) are
 * in {@link EngineLaneIT}.
 */
class PostgresOnlyLaneIT {
    private ShopFixture shop;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("lane");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private BridgeConfig config(String laneSettings) {
        return ConfigLoader.load(shop.writeConfig(laneSettings), shop.env());
    }

    @Test
    void shouldRefuseToStartWhenTheSlotOfAStoredPositionIsGone() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 10) g");
        BridgeConfig cfg = config("");
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(lane::isStreaming);
            shop.execute("UPDATE shop_v1.customers SET balance_cents = 1 WHERE id = 1");
            await().atMost(Duration.ofSeconds(30)).until(() -> lane.stats().streamedChanges() == 1);
        }
        // the slot disappears (dropped by hand, a restore, a failover) while v1 keeps changing
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.count("SELECT count(*) FROM pg_replication_slots"
                + " WHERE slot_name = '" + shop.database() + "_v1' AND active") == 0);
        shop.execute("SELECT pg_drop_replication_slot('" + shop.database() + "_v1')");
        shop.execute("UPDATE shop_v1.customers SET balance_cents = 2 WHERE id = 2");
        try (Bridge bridge = Bridge.open(cfg)) {
            assertThatThrownBy(bridge::start)
                    .isInstanceOf(io.graybridge.error.GrayBridgeException.class)
                    .hasMessageContaining("replication slot '" + shop.database() + "_v1'")
                    .hasMessageContaining("is gone")
                    .hasMessageContaining("lane_offset");
        }
        assertThat(shop.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + shop.database() + "_v1'"))
                .as("no new slot that would silently skip the change made meanwhile").isZero();
    }

    @Test
    void shouldRefuseToStartOnATableWithoutPrimaryKeyAndSayHowToFixIt() {
        shop.execute("ALTER TABLE shop_v1.orders DROP CONSTRAINT orders_pkey");
        shop.execute("ALTER TABLE shop_v1.customers REPLICA IDENTITY DEFAULT");
        BridgeConfig cfg = config("");
        assertThatThrownBy(() -> Bridge.open(cfg))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e -> {
                    List<?> problems = ((ProblemsException) e).problems();
                    assertThat(problems).as("every problem at once").hasSize(2);
                })
                .hasMessageContaining("shop_v1.orders' on v1 has no primary key")
                .hasMessageContaining("ADD PRIMARY KEY")
                .hasMessageContaining("ALTER TABLE \"shop_v1\".\"customers\" REPLICA IDENTITY FULL;");
        assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'"))
                .as("nothing was created on an invalid setup").isZero();
    }
}
