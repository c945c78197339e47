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
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v1 -> v2 lane, each scenario written once and run on every engine pair (PostgreSQL -> PostgreSQL, MariaDB ->
 * MariaDB and both cross-engine pairs), real Debezium capture on the machine's servers, in the test's own process.
 * What only PostgreSQL has (replication slots, replica identity) is in {@link PostgresOnlyLaneIT}; both lanes in
 * {@link EngineTwoWayIT}.
 */
class EngineLaneIT {

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), new Engines(Engine.MARIADB, Engine.MARIADB),
                new Engines(Engine.MARIADB, Engine.POSTGRESQL), new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL),
                new Engines(Engine.MARIADB, Engine.MYSQL));
    }

    private static BridgeConfig config(EngineShop shop, boolean twoWay) {
        return config(shop, twoWay, "");
    }

    /** {@code laneSettings}: YAML lines for the v1-to-v2 lane, indented by 4 spaces. */
    private static BridgeConfig config(EngineShop shop, boolean twoWay, String laneSettings) {
        return ConfigLoader.load(shop.writeConfig(twoWay, "", laneSettings), shop.env());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldBackfillThenStreamWithNoGapAndNoDoubleWhileV1KeepsWriting(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("elane", engines)) {
            shop.insertCustomers(1, 5000);
            BridgeConfig cfg = config(shop, false, "    batch-size: 500\n");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong inserted = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection c = shop.connect(Side.V1);
                        PreparedStatement ps = c.prepareStatement("INSERT INTO " + shop.table(Side.V1, "customers")
                                + " (id, name, balance_cents) VALUES (?, ?, ?)")) {
                    long id = 100_000;
                    while (writing.get()) {
                        ps.setLong(1, id);
                        ps.setString(2, "live " + id);
                        ps.setLong(3, id);
                        ps.executeUpdate();
                        inserted.incrementAndGet();
                        id++;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Bridge bridge = Bridge.open(cfg)) {
                writer.start();
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(120)).until(() -> lane.stats().snapshotRows() > 0
                        || lane.state() != Lane.State.RUNNING);
                Thread.sleep(1500);
                writing.set(false);
                writer.join();
                long total = 5000 + inserted.get();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> lane.stats().snapshotRows() + lane.stats().streamedChanges() >= total
                                || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("lane state, failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(lane.stats().snapshotRows() + lane.stats().streamedChanges())
                        .as("snapshot rows + streamed inserts: each row once").isEqualTo(total);
                assertThat(inserted.get()).as("rows written while the lane ran").isPositive();
                assertThat(shop.count(Side.V2, "SELECT count(*) FROM " + shop.table(Side.V2, "clients"))).isEqualTo(total);
                assertThat(shop.customers(Side.V2)).isEqualTo(shop.customers(Side.V1));
                assertThat(Compare.clean(shop, cfg)).as("both sides agree: %s", Compare.describe(shop, cfg)).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldApplyASourceTransactionLargerThanTheBufferInChunksAndCountItOnce(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("echunk", engines)) {
            shop.insertCustomers(1, 3000);
            // batch-size 20 buffers at most 2,000 changes of one source transaction: the update below is chunked
            BridgeConfig cfg = config(shop, false, "    batch-size: 20\n");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 3000
                        || lane.state() != Lane.State.RUNNING);
                await().atMost(Duration.ofSeconds(60)).until(lane::isStreaming);
                shop.execute(Side.V1, "UPDATE " + shop.table(Side.V1, "customers") + " SET balance_cents = id * 3");
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().streamedChanges() == 3000
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(Compare.clean(shop, cfg)).as("both sides agree: %s", Compare.describe(shop, cfg)).isTrue();
            }
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied")).as("one transaction, counted once")
                    .isEqualTo(3000);
        }
    }

    /**
     * A backlog of single-row transactions drains in batches of up to batch-size row changes (Debezium counts BEGIN
     * and END records toward its own limit: a capture that left that limit at batch-size filled a third).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldDrainABacklogOfSingleRowTransactionsInBatchesOfUpToBatchSizeRowChanges(Engines engines)
            throws Exception {
        int rows = 600;
        int batchSize = 20;
        try (EngineShop shop = EngineShop.create("efill", engines)) {
            shop.insertCustomers(1, rows);
            BridgeConfig cfg = config(shop, false, "    batch-size: " + batchSize + "\n");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == rows
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat((double) rows / lane.stats().batches()).as("snapshot rows per batch (%s batches)",
                        lane.stats().batches()).isLessThanOrEqualTo(batchSize);
            }
            // while the bridge is down: one autocommit UPDATE per customer, each its own source transaction
            try (Connection c = shop.connect(Side.V1); PreparedStatement ps = c.prepareStatement("UPDATE "
                    + shop.table(Side.V1, "customers") + " SET balance_cents = ? WHERE id = ?")) {
                for (int id = 1; id <= rows; id++) {
                    ps.setLong(1, id * 7L);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            }
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().streamedChanges() == rows
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                long batches = lane.stats().batches();
                double perBatch = (double) rows / batches;
                assertThat(perBatch).as("row changes per batch (%s batches for %s changes)", batches, rows)
                        .isLessThanOrEqualTo(batchSize)
                        .isGreaterThan(batchSize / 2.0); // a third of batch-size before
                assertThat(Compare.clean(shop, cfg)).as("both sides agree: %s", Compare.describe(shop, cfg)).isTrue();
            }
            if (engines.v2() == Engine.POSTGRESQL) {
                // every v2 row was updated once by the lane: the rows one target transaction wrote share its xmin
                assertThat(shop.count(Side.V2, "SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM "
                        + shop.table(Side.V2, "clients") + " GROUP BY xmin::text) t"))
                        .as("most row changes in one target transaction").isBetween((long) batchSize / 2, (long) batchSize);
            }
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied")).isEqualTo(rows);
        }
    }

    private static void awaitInSync(EngineShop shop, Lane lane) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
            assertThat(shop.customers(Side.V2)).as("customers on v2").isEqualTo(shop.customers(Side.V1));
            assertThat(shop.orders(Side.V2)).as("orders on v2").isEqualTo(shop.orders(Side.V1));
        });
    }

    /**
     * {@code status --format json} and {@code deadletters} on this pair, the bridge running or stopped, after the
     * first run's 4 snapshot rows and 5 changes: the metadata's counters and position on any engine; the lane's
     * state from the slot on a PostgreSQL source; on a MariaDB source (whose binlog reader is visible only inside
     * the bridge process) "caught up" from the binlog after the last applied position, lag 0, with the note.
     */
    private static void assertStatus(EngineShop shop, Engines engines, boolean running) throws Exception {
        java.nio.file.Path config = shop.withInlinePasswords(shop.writeConfig(false, ""));
        Cli.Run run = Cli.run("status", "-c", config.toString(), "--format", "json", "--sample-seconds", "0");
        assertThat(run.exit()).as("status: %s", run).isZero();
        JsonNode doc = run.json();
        JsonNode forward = doc.get("lanes").get(0);
        assertThat(forward.get("lane").asText()).isEqualTo("v1-to-v2");
        assertThat(forward.get("snapshot_rows").asLong()).as("status: %s", run).isEqualTo(4);
        assertThat(forward.get("changes_applied").asLong()).as("status: %s", run).isEqualTo(5);
        assertThat(forward.get("position").isTextual()).as("last applied position: %s", run).isTrue();
        assertThat(forward.get("last_applied_at").isTextual()).as("last applied time: %s", run).isTrue();
        assertThat(forward.get("last_source_commit").isTextual()).as("last source commit: %s", run).isTrue();
        assertThat(forward.get("echoes_suppressed").asLong()).isZero();
        boolean mariaDbSource = engines.v1().binlog();
        assertThat(forward.get("capture_state_visible").asBoolean()).isEqualTo(!mariaDbSource);
        if (mariaDbSource) {
            assertThat(forward.get("state").asText()).as("status: %s", run).isEqualTo("caught up");
            assertThat(forward.get("capture_note").asText()).contains("not visible from outside the bridge process");
            assertThat(forward.get("lag_seconds").asDouble()).as("status: %s", run).isZero();
            assertThat(forward.get("binlog_pending_transactions").asLong()).as("status: %s", run).isZero();
            assertThat(forward.get("binlog_behind_bytes").isNumber()).as("status: %s", run).isTrue();
        } else {
            assertThat(forward.get("state").asText()).isEqualTo(running ? "streaming" : "not running");
            assertThat(forward.has("capture_note")).isFalse();
            assertThat(forward.get("lag_seconds").isNumber()).isTrue();
        }
        JsonNode backward = doc.get("lanes").get(1);
        assertThat(backward.get("lane").asText()).isEqualTo("v2-to-v1");
        assertThat(backward.get("state").asText()).isEqualTo("disabled");
        assertThat(doc.get("dead_letters_open").asLong()).isZero();
        assertThat(doc.get("phase").asText()).as("status: %s", run).isIn("backfill", "dual");

        Cli.Run table = Cli.run("status", "-c", config.toString(), "--sample-seconds", "0");
        assertThat(table.exit()).as("status: %s", table).isZero();
        assertThat(table.out()).as("status: %s", table).contains("v1-to-v2");
        if (mariaDbSource) {
            assertThat(table.out()).contains("binlog reader runs").contains("0 transaction(s) on the mapped tables to apply");
        }
        Cli.Run letters = Cli.run("deadletters", "-c", config.toString());
        assertThat(letters.exit()).as("deadletters: %s", letters).isZero();
        assertThat(letters.out()).contains("no open dead letters");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldMapInsertUpdateDeleteAndKeyChangeAndResumeAfterARestart(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("emap", engines)) {
            String customers = shop.table(Side.V1, "customers");
            String orders = shop.table(Side.V1, "orders");
            // values each engine must read back alike: microsecond timestamps, non-ASCII and 4-byte UTF-8 text
            shop.execute(Side.V1, "INSERT INTO " + customers + " (id, name, email, balance_cents, status, created_at)"
                    + " VALUES (1, 'Ada', 'ada@exämple.com', 12345, 'A', '2024-05-06 07:08:09.123456'),"
                    + " (2, 'Bob', NULL, 0, 'I', '2024-01-02 03:04:05')");
            shop.execute(Side.V1, "INSERT INTO " + orders + " (id, customer_id, total_cents) VALUES (10, 1, 999), (11, 2, 5)");
            BridgeConfig cfg = config(shop, false);
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 4
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                try (Connection c = shop.connect(Side.V1); Statement s = c.createStatement()) {
                    s.execute("INSERT INTO " + customers + " (id, name, balance_cents, created_at)"
                            + " VALUES (3, 'Zoë 🚀 O''Brien', 1, '1999-12-31 23:59:59.000001')");
                    s.execute("UPDATE " + customers + " SET name = 'Ada L.', balance_cents = 20000 WHERE id = 1");
                    s.execute("DELETE FROM " + customers + " WHERE id = 2");
                    s.execute("UPDATE " + orders + " SET id = 12 WHERE id = 10");
                }
                awaitInSync(shop, lane);
                // the key change is a delete and an insert in the binlog, as in PostgreSQL's WAL
                assertThat(lane.stats().streamedChanges()).as("4 changes, the key change as delete and insert")
                        .isEqualTo(5);
                assertStatus(shop, engines, true);
            }
            assertStatus(shop, engines, false);
            assertThat(shop.customers(Side.V2)).containsExactly("1|Ada L.|ada@exämple.com|20000|A",
                    "3|Zoë 🚀 O'Brien|null|1|A");
            assertThat(shop.rows(Side.V2, "SELECT id, created_at, balance FROM " + shop.table(Side.V2, "clients")
                    + " ORDER BY id")).as("timestamps to the microsecond, decimals with their scale")
                    .containsExactly("1|2024-05-06 07:08:09.123456|200.00", "3|1999-12-31 23:59:59.000001|0.01");
            assertThat(shop.orders(Side.V2)).containsExactly("11|2|5", "12|1|999");
            assertThat(shop.rows(Side.V2, "SELECT tier FROM " + shop.table(Side.V2, "clients") + " ORDER BY id"))
                    .as("new v2 column gets its default").containsExactly("standard", "standard");

            // while the bridge is down, v1 keeps changing; the restart applies exactly those changes
            shop.execute(Side.V1, "UPDATE " + customers + " SET balance_cents = 8 WHERE id = 3");
            shop.execute(Side.V1, "DELETE FROM " + orders + " WHERE id = 11");
            if (engines.v1().binlog()) {
                // status reads the binlog after the stored position: two transactions wait there
                Cli.Run behind = Cli.run("status", "-c", shop.withInlinePasswords(shop.writeConfig(false, "")).toString(),
                        "--format", "json", "--sample-seconds", "0");
                JsonNode lane = behind.json().get("lanes").get(0);
                assertThat(lane.get("state").asText()).as("status: %s", behind).isEqualTo("behind");
                assertThat(lane.get("binlog_pending_transactions").asLong()).as("status: %s", behind).isEqualTo(2);
                assertThat(lane.get("lag_seconds").asDouble()).as("the newest applied change's age: %s", behind)
                        .isPositive();
            }
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                awaitInSync(shop, lane);
                await().atMost(Duration.ofSeconds(30)).until(() -> lane.stats().streamedChanges() >= 2);
                Thread.sleep(500); // anything replayed would show up in the counters by now
                assertThat(lane.stats().snapshotRows()).as("no second backfill after a restart").isZero();
                assertThat(lane.stats().streamedChanges()).as("only the changes made while down").isEqualTo(2);
                assertThat(Compare.clean(shop, cfg)).as("both sides agree: %s", Compare.describe(shop, cfg)).isTrue();
            }
            if (engines.v1() == Engine.POSTGRESQL) {
                assertThat(shop.count(Side.V1, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                        + shop.slotName(Side.V1) + "'")).as("the slot is reused, not recreated").isEqualTo(1);
            }
            assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied"))
                    .as("each change applied exactly once across both runs").isEqualTo(7);
            assertThat(shop.progress(Side.V2, "v1-to-v2", "snapshot_rows")).isEqualTo(4);
            assertThat(shop.inSync()).isTrue();

            // a dead letter in the target's metadata (as the writer records one): status counts it, deadletters lists it
            String row = io.graybridge.bridge.deadletter.RowCodec.encode(io.graybridge.mapping.Row.of(
                    java.util.Map.of("id", 99L, "name", "Bad", "balance_cents", 1L)));
            shop.execute(Side.V2, "INSERT INTO " + shop.metadataSchema() + ".dead_letter (bridge, lane, source_table,"
                    + " row_key, op, reason, policy, error, source_position, after_row) VALUES ('" + shop.bridgeName()
                    + "', 'v1-to-v2', 'customers', '{id=99}', 'INSERT', 'failed', 'pause', 'planted by the test',"
                    + " 'pos-99', '" + row + "')");
            java.nio.file.Path config = shop.withInlinePasswords(shop.writeConfig(false, ""));
            Cli.Run status = Cli.run("status", "-c", config.toString(), "--format", "json", "--sample-seconds", "0");
            assertThat(status.exit()).as("status: %s", status).isZero();
            assertThat(status.json().get("dead_letters_open").asLong()).as("status: %s", status).isEqualTo(1);
            JsonNode letter = status.json().get("dead_letters").get(0);
            assertThat(letter.get("lane").asText() + "|" + letter.get("table").asText() + "|" + letter.get("failed")
                    + "|" + letter.get("paused")).isEqualTo("v1-to-v2|customers|1|true");
            Cli.Run letters = Cli.run("deadletters", "-c", config.toString());
            assertThat(letters.exit()).as("deadletters: %s", letters).isEqualTo(1);
            assertThat(letters.out()).as("deadletters: %s", letters)
                    .contains("lane v1-to-v2, table customers: 1 open dead letter(s), table paused")
                    .contains("key {id=99}  at pos-99", "planted by the test");
        }
    }
}
