package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.cli.GrayBridgeCli;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A row the mapping cannot translate, on a real PostgreSQL (and, with a MariaDB target, on MariaDB -> MariaDB and
 * PostgreSQL -> MariaDB): it lands in the dead-letter table with the
 * offsets, pauses its table (later changes held in order, other tables flowing), and `deadletters retry`
 * applies everything once the mapping is fixed, with nothing lost and nothing echoed.
 */
class DeadLetterIT {
    private static final String MAP = "map: {A: active, I: inactive}";

    private ShopFixture shop;
    private Path mapping;
    private Path config;

    private void createShop() throws Exception {
        shop = ShopFixture.create("deadletter");
        mapping = shop.dir().resolve("shop.yaml");
        Files.writeString(mapping, Files.readString(RepoPaths.config().resolve("mappings/shop.yaml")));
        config = shop.writeTwoWayConfig("primary-wins", "");
        Files.writeString(config, Files.readString(config)
                .replace("tables: [customers, orders]", "tables: [customers, orders, suppliers]")
                .replaceAll("mapping: .*", "mapping: " + mapping)
                // audit on, with no broker to publish to: the outbox keeps every event for this test to read
                + "audit:\n  bootstrap-servers: 127.0.0.1:9\n");
    }

    @AfterEach
    void dropShop() {
        if (shop != null) {
            shop.close();
        }
    }

    record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GrayBridgeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private List<String> rows(Side side, String sql) {
        return shop.rows(side, sql);
    }

    private static final String LETTERS = "SELECT source_table, row_key, op, reason, policy, status"
            + " FROM graybridge.dead_letter ORDER BY id";

    @Test
    void shouldParkAFailingRowAndItsTablesLaterChangesThenRetryThemInOrderAfterTheMappingIsFixed() throws Exception {
        createShop();
        shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name, status, street, city)"
                + " VALUES (1, 'Ada Lovelace', 'A', '12 St James Square', 'London')");
        BridgeConfig broken = ConfigLoader.load(config, shop.env());
        try (Bridge bridge = Bridge.open(broken)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> forward.stats().snapshotRows() == 1);
            shop.awaitSlotsActive(2);

            // 'X' is not in the value map: the insert fails mapping and pauses suppliers
            shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name, status) VALUES (5, 'Bad Code', 'X')");
            // later changes of suppliers, mappable ones too, are held behind it; customers keep flowing
            shop.execute(Side.V1, "BEGIN; UPDATE shop_v1.suppliers SET city = 'Paris' WHERE id = 1;"
                    + " INSERT INTO shop_v1.customers (id, name) VALUES (100, 'Flows On'); COMMIT");
            shop.execute(Side.V1, "UPDATE shop_v1.suppliers SET contact_name = 'Good Code' WHERE id = 5");
            await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().streamedChanges()
                    + forward.stats().deadLetters() >= 4 || forward.state() != Lane.State.RUNNING);
            assertThat(forward.state()).as("a mapping failure does not stop the lane; failure: %s", forward.failure())
                    .isEqualTo(Lane.State.RUNNING);
            assertThat(shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE id = 100"))
                    .as("other tables keep flowing").isEqualTo(1);
            assertThat(rows(Side.V2, "SELECT id FROM shop_v2.suppliers ORDER BY id")).containsExactly("1");
            assertThat(rows(Side.V2, "SELECT city FROM shop_v2.supplier_addresses WHERE supplier_id = 1"))
                    .as("the held update is not applied out of order").containsExactly("London");
            assertThat(rows(Side.V2, LETTERS)).containsExactly(
                    "suppliers|{id=5}|INSERT|failed|pause|open",
                    "suppliers|{id=1}|UPDATE|held|pause|open",
                    "suppliers|{id=5}|UPDATE|held|pause|open");
            assertThat(shop.count(Side.V2, "SELECT changes_applied FROM graybridge.lane_progress WHERE lane = 'v1-to-v2'"))
                    .as("only the customer counts as applied").isEqualTo(1);

            // each dead letter is audited, in the transaction that recorded it, with its masked rows
            assertThat(rows(Side.V2, "SELECT payload::jsonb #>> '{data,table}' || '|' || (payload::jsonb #>> '{data,operation}')"
                    + " || '|' || (payload::jsonb #>> '{data,policy}') || '|' || CASE WHEN payload::jsonb #>> '{data,reason}' LIKE 'held:%' THEN 'held' ELSE 'failed' END"
                    + " FROM graybridge.audit_outbox WHERE type = 'io.graybridge.deadletter' ORDER BY seq"))
                    .containsExactly("suppliers|insert|pause|failed", "suppliers|update|pause|held",
                            "suppliers|update|pause|held");

            Run status = cli("status", "-c", config.toString(), "--sample-seconds", "0");
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("dead letters: 3 open").containsPattern(
                    "v1-to-v2 +suppliers +3 open \\(1 failed, 2 held\\) +0 retried +PAUSED");

            Run list = cli("deadletters", "-c", config.toString(), "list");
            assertThat(list.exit()).as("open dead letters: exit 1; %s", list.err()).isEqualTo(1);
            assertThat(list.out()).contains("lane v1-to-v2, table suppliers: 3 open dead letter(s), table paused")
                    .contains("INSERT   key {id=5}").contains("'X'").contains("held: its table was paused");

            Run stillBroken = cli("deadletters", "-c", config.toString(), "retry");
            assertThat(stillBroken.exit()).as(stillBroken.err()).isEqualTo(1);
            assertThat(stillBroken.out()).contains("0 dead letter(s) applied, 3 still open").contains("stopped at #");
        }

        // the operator fixes the mapping and restarts the bridge with it: the table is still paused
        Files.writeString(mapping, Files.readString(mapping).replace(MAP, "map: {A: active, I: inactive, X: blocked}"));
        BridgeConfig fixed = ConfigLoader.load(config, shop.env());
        try (Bridge bridge = Bridge.open(fixed)) {
            bridge.start();
            Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
            Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
            shop.awaitSlotsActive(2);
            shop.execute(Side.V1, "UPDATE shop_v1.suppliers SET street = '5 Rue de Rivoli' WHERE id = 1");
            await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().deadLetters() == 1);
            assertThat(rows(Side.V2, "SELECT street FROM shop_v2.supplier_addresses WHERE supplier_id = 1"))
                    .as("held across the restart").containsExactly("12 St James Square");

            Run retry = cli("deadletters", "-c", config.toString(), "retry");
            assertThat(retry.exit()).as(retry.out() + retry.err()).isZero();
            assertThat(retry.out()).contains("lane v1-to-v2, table suppliers: 4 dead letter(s) applied, 0 still open"
                    + " - table unpaused");

            // the running lane sees the table unpaused: the next change flows
            shop.execute(Side.V1, "INSERT INTO shop_v1.suppliers (id, contact_name, status) VALUES (7, 'Next One', 'X')");
            await().atMost(Duration.ofSeconds(60)).until(() -> rows(Side.V2, "SELECT id FROM shop_v2.suppliers ORDER BY id")
                    .size() == 3);
            assertThat(rows(Side.V2, "SELECT id, first_name, last_name, status FROM shop_v2.suppliers ORDER BY id"))
                    .as("every change arrived, in order").containsExactly(
                            "1|Ada|Lovelace|active", "5|Good|Code|blocked", "7|Next|One|blocked");
            assertThat(rows(Side.V2, "SELECT supplier_id, street, city FROM shop_v2.supplier_addresses"
                    + " ORDER BY supplier_id")).containsExactly("1|5 Rue de Rivoli|Paris", "5|null|null", "7|null|null");
            assertThat(shop.count(Side.V2, "SELECT count(*) FROM graybridge.dead_letter WHERE status = 'open'")).isZero();
            assertThat(shop.count(Side.V2, "SELECT count(*) FROM graybridge.dead_letter WHERE status = 'retried'"))
                    .isEqualTo(4);
            await().atMost(Duration.ofSeconds(30)).until(() -> backward.stats().echoesSuppressed() >= 5);
            assertThat(backward.stats().streamedChanges()).as("the retried rows were bridge-marked: no echo applied")
                    .isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(shop, fixed));
        }
        assertThat(shop.count(Side.V2, "SELECT changes_applied FROM graybridge.lane_progress WHERE lane = 'v1-to-v2'"))
                .as("the customer, the 4 retried changes and supplier 7, each once").isEqualTo(6);
        Run status = cli("status", "-c", config.toString(), "--sample-seconds", "0");
        assertThat(status.out()).contains("dead letters: 0 open").containsPattern("suppliers +0 open .* 4 retried");
    }

    static Stream<Engines> mariaDbTargets() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.MARIADB), new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.POSTGRESQL, Engine.MYSQL));
    }

    /**
     * The same story with the dead letters in a MariaDB target's metadata: parked in order behind the failing row,
     * listed, refused while the mapping is still broken, then applied by {@code deadletters retry} after the fix
     * (the table unpaused, the running lane flowing again), bridge-marked so no echo comes back.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mariaDbTargets")
    void shouldParkAndRetryDeadLettersInAMariaDbTarget(Engines engines) throws Exception {
        try (EngineShop es = EngineShop.create("edead", engines)) {
            Path map = es.dir().resolve("shop.yaml");
            Path cfgFile = suppliersConfig(es, map, "");
            Path cli = es.withInlinePasswords(cfgFile);
            String suppliers = es.table(Side.V1, "suppliers");
            String v2Suppliers = es.table(Side.V2, "suppliers");
            String addresses = es.table(Side.V2, "supplier_addresses");
            String letters = "SELECT source_table, row_key, op, reason, policy, status FROM " + es.metadataSchema()
                    + ".dead_letter ORDER BY id";
            es.execute(Side.V1, "INSERT INTO " + suppliers + " (id, contact_name, status, street, city)"
                    + " VALUES (1, 'Ada Lovelace', 'A', '12 St James Square', 'London')");
            try (Bridge bridge = Bridge.open(ConfigLoader.load(cfgFile, es.env()))) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                for (Lane lane : bridge.lanes()) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
                }
                // the binlog reader may connect before the lane has applied the snapshot's batch
                await().atMost(Duration.ofSeconds(30)).until(() -> forward.stats().snapshotRows() >= 1);
                assertThat(forward.stats().snapshotRows()).isEqualTo(1);
                es.execute(Side.V1, "INSERT INTO " + suppliers + " (id, contact_name, status) VALUES (5, 'Bad Code', 'X')");
                try (java.sql.Connection c = es.connect(Side.V1); java.sql.Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("UPDATE " + suppliers + " SET city = 'Paris' WHERE id = 1");
                    st.execute("INSERT INTO " + es.table(Side.V1, "customers") + " (id, name) VALUES (100, 'Flows On')");
                    c.commit();
                }
                es.execute(Side.V1, "UPDATE " + suppliers + " SET contact_name = 'Good Code' WHERE id = 5");
                await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().streamedChanges()
                        + forward.stats().deadLetters() >= 4 || forward.state() != Lane.State.RUNNING);
                assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(es.rows(Side.V2, "SELECT id FROM " + es.table(Side.V2, "clients"))).containsExactly("100");
                assertThat(es.rows(Side.V2, "SELECT id FROM " + v2Suppliers + " ORDER BY id")).containsExactly("1");
                assertThat(es.rows(Side.V2, "SELECT city FROM " + addresses + " WHERE supplier_id = 1"))
                        .as("the held update is not applied out of order").containsExactly("London");
                assertThat(es.rows(Side.V2, letters)).containsExactly(
                        "suppliers|{id=5}|INSERT|failed|pause|open",
                        "suppliers|{id=1}|UPDATE|held|pause|open",
                        "suppliers|{id=5}|UPDATE|held|pause|open");

                Run status = cli("status", "-c", cli.toString(), "--sample-seconds", "0");
                assertThat(status.exit()).as(status.err()).isZero();
                assertThat(status.out()).contains("dead letters: 3 open").containsPattern(
                        "v1-to-v2 +suppliers +3 open \\(1 failed, 2 held\\) +0 retried +PAUSED");
                Run list = cli("deadletters", "-c", cli.toString(), "list");
                assertThat(list.exit()).as(list.err()).isEqualTo(1);
                assertThat(list.out()).contains("lane v1-to-v2, table suppliers: 3 open dead letter(s), table paused")
                        .contains("INSERT   key {id=5}").contains("'X'");
                Run stillBroken = cli("deadletters", "-c", cli.toString(), "retry");
                assertThat(stillBroken.exit()).as(stillBroken.out() + stillBroken.err()).isEqualTo(1);
                assertThat(stillBroken.out()).contains("0 dead letter(s) applied, 3 still open");
            }

            Files.writeString(map, Files.readString(map).replace(MAP, "map: {A: active, I: inactive, X: blocked}"));
            BridgeConfig fixed = ConfigLoader.load(cfgFile, es.env());
            try (Bridge bridge = Bridge.open(fixed)) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();
                for (Lane lane : bridge.lanes()) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
                }
                es.execute(Side.V1, "UPDATE " + suppliers + " SET street = '5 Rue de Rivoli' WHERE id = 1");
                await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().deadLetters() == 1);
                assertThat(es.rows(Side.V2, "SELECT street FROM " + addresses + " WHERE supplier_id = 1"))
                        .as("held across the restart").containsExactly("12 St James Square");

                Run retry = cli("deadletters", "-c", cli.toString(), "retry");
                assertThat(retry.exit()).as(retry.out() + retry.err()).isZero();
                assertThat(retry.out()).contains("lane v1-to-v2, table suppliers: 4 dead letter(s) applied, 0 still open"
                        + " - table unpaused");

                es.execute(Side.V1, "INSERT INTO " + suppliers + " (id, contact_name, status) VALUES (7, 'Next One', 'X')");
                await().atMost(Duration.ofSeconds(60)).until(() -> es.rows(Side.V2, "SELECT id FROM " + v2Suppliers).size() == 3);
                assertThat(es.rows(Side.V2, "SELECT id, first_name, last_name, status FROM " + v2Suppliers + " ORDER BY id"))
                        .as("every change arrived, in order").containsExactly(
                                "1|Ada|Lovelace|active", "5|Good|Code|blocked", "7|Next|One|blocked");
                assertThat(es.rows(Side.V2, "SELECT supplier_id, street, city FROM " + addresses + " ORDER BY supplier_id"))
                        .containsExactly("1|5 Rue de Rivoli|Paris", "5|null|null", "7|null|null");
                assertThat(es.rows(Side.V2, letters)).as("every dead letter retried").allMatch(l -> l.endsWith("|retried"))
                        .hasSize(4);
                await().atMost(Duration.ofSeconds(30)).until(() -> backward.stats().echoesSuppressed() >= 5);
                assertThat(backward.stats().streamedChanges()).as("the retried rows were bridge-marked: no echo applied")
                        .isZero();
                await().atMost(Duration.ofSeconds(30)).until(() -> Compare.clean(es, fixed));
            }
            assertThat(es.progress(Side.V2, "v1-to-v2", "changes_applied"))
                    .as("the customer, the 4 retried changes and supplier 7, each once").isEqualTo(6);
            Run status = cli("status", "-c", cli.toString(), "--sample-seconds", "0");
            assertThat(status.out()).contains("dead letters: 0 open").containsPattern("suppliers +0 open .* 4 retried");
        }
    }

    /**
     * A held change retried is decided with the seen position kept with it (ARCHITECTURE.md, "Deletes"), as it would
     * have been when captured: under {@code v2-wins}, v1's update of supplier 1 is held behind a failing row while v2's
     * service deletes supplier 1 (v2 never received the update: the writes are concurrent); v2's delete reaches v1, and
     * the retry into v2, the winning side, loses (recorded as a conflict) instead of re-creating the row the way the
     * before-image rules' add-wins did, so both sides end without it. Under two-way {@code latest-wins} the same, by
     * stamps: v2's delete comes more than a second after v1's update (MariaDB's commit times are whole seconds), so it
     * is the later write, and the retry decides with the stamp kept with the dead letter ({@code stamp_ms}, V11).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("retryKnowingCases")
    void shouldDecideARetriedHeldChangeAsWhenCapturedWithItsSeenPositionAndStamp(Engines engines, String policy)
            throws Exception {
        try (EngineShop es = EngineShop.create("dseen", engines)) {
            Path map = es.dir().resolve("shop.yaml");
            Path cfgFile = suppliersConfig(es, map, "conflicts:\n  policy: " + policy + "\n");
            Path cli = es.withInlinePasswords(cfgFile);
            String suppliers = es.table(Side.V1, "suppliers");
            String v2Suppliers = es.table(Side.V2, "suppliers");
            String addresses = es.table(Side.V2, "supplier_addresses");
            try (Bridge bridge = Bridge.open(ConfigLoader.load(cfgFile, es.env()))) {
                bridge.start();
                Lane forward = bridge.lane(Direction.FORWARD).orElseThrow();
                for (Lane lane : bridge.lanes()) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
                }
                es.execute(Side.V1, "INSERT INTO " + suppliers + " (id, contact_name, status, street, city)"
                        + " VALUES (1, 'Ada Lovelace', 'A', '12 St James Square', 'London')");
                await().atMost(Duration.ofSeconds(60)).until(() -> es.rows(Side.V2, "SELECT id FROM " + v2Suppliers).size() == 1);
                es.execute(Side.V1, "INSERT INTO " + suppliers + " (id, contact_name, status) VALUES (5, 'Bad Code', 'X')");
                es.execute(Side.V1, "UPDATE " + suppliers + " SET city = 'Paris' WHERE id = 1");
                await().atMost(Duration.ofSeconds(60)).until(() -> forward.stats().deadLetters() >= 2
                        || forward.state() != Lane.State.RUNNING);
                assertThat(forward.state()).as("failure: %s", forward.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(es.count(Side.V2, "SELECT count(*) FROM " + es.metadataSchema() + ".dead_letter"
                        + " WHERE seen_position IS NOT NULL")).as("seen kept with both dead letters").isEqualTo(2);
                boolean latestWins = policy.equals("latest-wins");
                assertThat(es.count(Side.V2, "SELECT count(*) FROM " + es.metadataSchema() + ".dead_letter"
                        + " WHERE stamp_ms IS NOT NULL")).as("stamps kept under latest-wins only").isEqualTo(latestWins ? 2 : 0);
                if (latestWins) {
                    Thread.sleep(1_100); // v2's delete the later write, also in MariaDB's whole seconds
                }

                // v2's service deletes supplier 1, not knowing v1's held update; the delete reaches v1
                try (java.sql.Connection c = es.connect(Side.V2); java.sql.Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("DELETE FROM " + addresses + " WHERE supplier_id = 1");
                    st.execute("DELETE FROM " + v2Suppliers + " WHERE id = 1");
                    c.commit();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> es.rows(Side.V1, "SELECT id FROM " + suppliers)
                        .equals(List.of("5")));

                // the mapping is fixed (in the file the retry reads); the retry runs beside the running bridge, whose
                // v2-to-v1 lane the barrier waits for (v2 is the winning side)
                Files.writeString(map, Files.readString(map).replace(MAP, "map: {A: active, I: inactive, X: blocked}"));
                Run retry = cli("deadletters", "-c", cli.toString(), "retry");
                assertThat(retry.exit()).as(retry.out() + retry.err()).isZero();
                assertThat(retry.out()).contains("lane v1-to-v2, table suppliers: 2 dead letter(s) applied, 0 still open");
            }
            assertThat(es.rows(Side.V2, "SELECT id, status FROM " + v2Suppliers + " ORDER BY id"))
                    .as("the held update lost to v2's concurrent delete: not re-created").containsExactly("5|blocked");
            assertThat(es.rows(Side.V2, "SELECT supplier_id FROM " + addresses)).containsExactly("5");
            assertThat(es.rows(Side.V1, "SELECT id FROM " + suppliers)).containsExactly("5");
            assertThat(es.rows(Side.V2, "SELECT kind, winner, policy FROM " + es.metadataSchema() + ".conflict_log"
                    + " WHERE lane = 'v1-to-v2' ORDER BY kind"))
                    .as("the retry recorded the concurrent pair").isNotEmpty()
                    .allMatch(r -> r.equals("UPDATE_DELETE|v2|" + policy));
        }
    }

    static Stream<Arguments> retryKnowingCases() {
        return Stream.of(Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "v2-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "latest-wins"));
    }

    /**
     * A two-lane config of {@code es} that also syncs {@code suppliers}, with the example mapping copied to {@code map}
     * (so a test can break and fix it) and {@code extraYaml} added at the top level.
     */
    private static Path suppliersConfig(EngineShop es, Path map, String extraYaml) throws Exception {
        Files.writeString(map, Files.readString(RepoPaths.config().resolve("mappings/shop.yaml")));
        Path cfgFile = es.writeConfig(true, extraYaml);
        Files.writeString(cfgFile, Files.readString(cfgFile)
                .replace("tables: [customers, orders]", "tables: [customers, orders, suppliers]")
                .replaceAll("mapping: .*", "mapping: " + map));
        return cfgFile;
    }
}
