package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lifecycle.BridgeObjects;
import io.graybridge.error.ProblemsException;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge on PostgreSQL as a role with exactly the README's grants ("PostgreSQL sides"): no superuser, no
 * table ownership. Both lanes (snapshot, streaming, loop guard, a latest-wins conflict recorded by both lanes), then {@code status},
 * {@code drift} and {@code gate} as that role, then what {@code finalize --drop-bridge-objects} removes as it; and
 * the refusal, before anything is created, when grants are
 * missing, naming each statement to run.
 */
class PostgresPrivilegesIT {
    private static final String PASSWORD = "gbit-least-privilege";

    private ShopFixture shop;
    private String role;

    @BeforeEach
    void createShopAndRole() {
        shop = ShopFixture.create("pgpriv");
        role = shop.database() + "_bridge"; // gbit_-prefixed and unique, like the database
        admin("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'");
    }

    @AfterEach
    void dropShopAndRole() {
        try {
            shop.close(); // the database, its slots, and with them everything the role owned or was granted
        } finally {
            admin("DROP ROLE IF EXISTS " + role);
        }
    }

    /** The README's statements for the example shop, both lanes (each side is a source and a target). */
    private void grantAsDocumented() {
        shop.execute("ALTER ROLE " + role + " REPLICATION");
        shop.execute("GRANT pg_read_all_stats TO " + role);
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        }
        shop.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON shop_v1.customers, shop_v1.orders TO " + role);
        shop.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON shop_v2.clients, shop_v2.orders TO " + role);
        shop.execute("CREATE SCHEMA graybridge AUTHORIZATION " + role);
        shop.execute("CREATE PUBLICATION " + shop.database() + "_v1 FOR TABLE shop_v1.customers, shop_v1.orders");
        shop.execute("CREATE PUBLICATION " + shop.database() + "_v2 FOR TABLE shop_v2.clients, shop_v2.orders");
    }

    @Test
    void shouldRunBothLanesStatusDriftAndGateAsARoleWithOnlyTheDocumentedGrants() throws Exception {
        shop.execute("INSERT INTO shop_v1.customers (id, name) SELECT g, 'c' || g FROM generate_series(1, 20) g");
        grantAsDocumented();
        assertThat(shop.count("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "' AND NOT rolsuper"
                + " AND rolreplication AND NOT rolcreatedb AND NOT rolcreaterole")).isEqualTo(1);
        Path config = asRole(shop.writeTwoWayConfig("latest-wins", ""));
        BridgeConfig cfg = ConfigLoader.load(config, Map.of());
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            for (Lane lane : bridge.lanes()) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure())
                        .isEqualTo(Lane.State.RUNNING);
            }
            shop.awaitSlotsActive(2);
            shop.execute("UPDATE shop_v1.customers SET name = 'from v1' WHERE id = 1");
            shop.execute("UPDATE shop_v2.clients SET full_name = 'from v2' WHERE id = 2");
            // a conflict: v2's update of row 3 holds the row across v1's update of it, so neither side had the other's
            // write when it made its own (concurrent); v2 commits later, so under latest-wins its stamp wins on both
            try (java.sql.Connection v2 = shop.connect(Side.V2)) {
                v2.setAutoCommit(false);
                try (java.sql.Statement st = v2.createStatement()) {
                    st.executeUpdate("UPDATE shop_v2.clients SET full_name = 'later on v2' WHERE id = 3");
                }
                shop.execute("UPDATE shop_v1.customers SET name = 'first on v1' WHERE id = 3");
                Thread.sleep(20); // v2's commit a clear millisecond later: no tie (a tie would go to v1)
                v2.commit();
            }
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(backward.state()).as("failure: %s", backward.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(shop.rows(Side.V1, "SELECT name FROM shop_v1.customers WHERE id IN (1, 2, 3) ORDER BY id"))
                        .containsExactly("from v1", "from v2", "later on v2");
                assertThat(shop.rows(Side.V2, "SELECT full_name FROM shop_v2.clients WHERE id IN (1, 2, 3)"
                        + " ORDER BY id")).containsExactly("from v1", "from v2", "later on v2");
                // both lanes know the pair was concurrent and record it, as this role
                assertThat(shop.count("SELECT count(*) FROM graybridge.conflict_log WHERE lane = 'v1-to-v2'"))
                        .as("v1's write met v2's concurrent one on v2").isEqualTo(1);
                assertThat(shop.count("SELECT count(*) FROM graybridge.conflict_log WHERE lane = 'v2-to-v1'"))
                        .as("v2's write met v1's concurrent one on v1").isEqualTo(1);
            });
            assertThat(forward.stats().snapshotRows()).isEqualTo(20);
            assertThat(forward.stats().streamedChanges()).as("v1's changes, not v2's echo").isEqualTo(2);
            assertThat(backward.stats().streamedChanges()).as("v2's changes, not v1's echoes").isEqualTo(2);

            String cli = config.toString();
            Cli.Run status = Cli.run("status", "-c", cli, "--format", "json", "--sample-seconds", "0");
            assertThat(status.exit()).as("status as the least-privileged role: %s", status).isZero();
            for (JsonNode lane : status.json().get("lanes")) {
                assertThat(lane.get("state").asText()).as("%s", status).isEqualTo("streaming");
            }
            Cli.Run drift = Cli.run("drift", "-c", cli);
            assertThat(drift.exit()).as("drift as the least-privileged role: %s", drift).isZero();
            Cli.Run gate = Cli.run("gate", "promote", "-c", cli);
            assertThat(gate.exit()).as("gate as the least-privileged role: %s", gate).isZero();
        }

        // what `finalize --drop-bridge-objects` removes as this role: its slots and metadata, not the owner's publications
        await().atMost(Duration.ofSeconds(60)).until(() -> shop.count("SELECT count(*) FROM pg_replication_slots"
                + " WHERE database = '" + shop.database() + "' AND active") == 0);
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            BridgeObjects objects = new BridgeObjects(cfg, v1, v2);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(objects.drop(new PrintWriter(out, true), new PrintWriter(err, true))).as("%s%s", out, err).isFalse();
            String publication = shop.database() + "_v1";
            assertThat(out.toString()).contains("removed replication slot " + shop.database() + "_v1",
                    "removed replication slot " + shop.database() + "_v2");
            assertThat(err.toString()).contains("cannot remove publication " + publication,
                    "a DBA who owns it runs DROP PUBLICATION " + publication, "the bridge metadata is kept");
            assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'")).isEqualTo(1);
            shop.execute("DROP PUBLICATION " + shop.database() + "_v1");
            shop.execute("DROP PUBLICATION " + shop.database() + "_v2");
            StringWriter again = new StringWriter();
            assertThat(objects.drop(new PrintWriter(again, true), new PrintWriter(err, true))).as("%s%s", again, err)
                    .isTrue();
            assertThat(again.toString()).contains("removed metadata schema graybridge");
        }
        assertThat(shop.count("SELECT count(*) FROM pg_replication_slots WHERE database = '" + shop.database() + "'"))
                .isZero();
        assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'")).isZero();
    }

    @Test
    void shouldRefuseNamingEveryMissingGrantAndCreateNothing() {
        // the documented grants, less REPLICATION, pg_read_all_stats, the publication, the metadata schema and
        // DELETE on clients
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
        }
        shop.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON shop_v1.customers, shop_v1.orders TO " + role);
        shop.execute("GRANT SELECT, INSERT, UPDATE ON shop_v2.clients TO " + role);
        shop.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON shop_v2.orders TO " + role);
        BridgeConfig cfg = ConfigLoader.load(asRole(shop.writeConfig("")), Map.of());
        String publication = shop.database() + "_v1";
        assertThatThrownBy(() -> Bridge.open(cfg))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e -> assertThat(((ProblemsException) e).problems()).as("every problem at once").hasSize(5))
                .hasMessageContaining("has no REPLICATION attribute")
                .hasMessageContaining("ALTER ROLE \"" + role + "\" REPLICATION;")
                .hasMessageContaining("GRANT pg_read_all_stats TO \"" + role + "\";")
                .hasMessageContaining("publication " + publication + " does not exist")
                .hasMessageContaining("CREATE PUBLICATION \"" + publication
                        + "\" FOR TABLE \"shop_v1\".\"customers\", \"shop_v1\".\"orders\";")
                .hasMessageContaining("lacks DELETE on shop_v2.clients")
                .hasMessageContaining("GRANT SELECT, INSERT, UPDATE, DELETE ON \"shop_v2\".\"clients\" TO \"" + role + "\";")
                .hasMessageContaining("CREATE SCHEMA \"graybridge\" AUTHORIZATION \"" + role + "\";");
        assertThat(shop.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'"))
                .as("no metadata schema").isZero();
        assertThat(shop.count("SELECT count(*) FROM pg_replication_slots WHERE database = '" + shop.database() + "'"))
                .as("no slot").isZero();

        // a publication the role does not own, listing another set of tables: it may not change it
        shop.execute("CREATE PUBLICATION " + publication + " FOR TABLE shop_v1.customers");
        shop.execute("ALTER ROLE " + role + " REPLICATION");
        shop.execute("GRANT pg_read_all_stats TO " + role);
        shop.execute("GRANT DELETE ON shop_v2.clients TO " + role);
        shop.execute("CREATE SCHEMA graybridge AUTHORIZATION " + role);
        assertThatThrownBy(() -> Bridge.open(cfg))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e -> assertThat(((ProblemsException) e).problems()).hasSize(1))
                .hasMessageContaining("publication " + publication + " on the v1")
                .hasMessageNotContaining("pg_read_all_stats")
                .hasMessageContaining("lists [customers], not the tables of lane v1-to-v2 [customers, orders]")
                .hasMessageContaining("ALTER PUBLICATION \"" + publication
                        + "\" SET TABLE \"shop_v1\".\"customers\", \"shop_v1\".\"orders\";");
        assertThat(shop.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'graybridge'"))
                .as("nothing migrated").isZero();
    }

    /** A copy of {@code config} connecting as the role, its password written in. */
    private Path asRole(Path config) {
        try {
            String yaml = Files.readString(config)
                    .replace("user: " + shop.server().user() + "\n", "user: " + role + "\n")
                    .replace("password-env: GB_IT_PASSWORD\n", "")
                    .replace("    schema: ", "    password: " + PASSWORD + "\n    schema: ");
            Path out = config.resolveSibling("bridge-as-role.yaml");
            Files.writeString(out, yaml);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a statement on the server's admin database (roles are not in the shop's database). */
    private void admin(String sql) {
        try (Connection c = shop.server().connect(shop.server().adminDatabase()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
