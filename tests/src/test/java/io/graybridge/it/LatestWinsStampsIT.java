package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.apply.KeyText;
import io.graybridge.bridge.capture.CaptureKnowledge;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * latest-wins, step 2 of its build plan (ARCHITECTURE.md, "latest-wins: the build plan"), end to end: capture stamps
 * each application write (its commit millisecond raised past the version it overwrote), the lane stores the stamps and
 * each key's current version in {@code key_write} with its offset, each lane's marks carry the versions it wrote so the
 * other side's capture knows them, and a write captured again after a restart gets the same stamp. The decision is
 * still the before-image rules'; this checks the stamps, not conflicts.
 *
 * <p>Every engine pair runs the same steps, each in its engine's SQL: the transaction writing one key a thousand times
 * (a {@code DO} block on PostgreSQL, a stored procedure on MariaDB and MySQL), a hand-written mark (a logical message
 * on PostgreSQL, an upsert of the lane's {@code tx_marker} row on MariaDB and MySQL, as {@code guard.MarkerTable}
 * writes it), and a batch failing on v2 (a {@code CHECK} constraint, the same on every engine). Commit times: on
 * PostgreSQL the exact millisecond ({@code pg_xact_commit_timestamp}); on MariaDB the binlog's whole second (what
 * capture reads, ARCHITECTURE.md, "latest-wins stamps"), bracketed by the server's clock read before and after the
 * statement (the thousand writes start just after a second begins, so both reads fall in one second and the figure is
 * exact); on MySQL 8 the commit millisecond within that bracket. MariaDB's whole seconds make the thousand writes tie,
 * and a v2 write in the second of v1's version ties with it: the raise orders them, as on PostgreSQL.
 */
class LatestWinsStampsIT {

    /**
     * Every engine pair; latest-wins runs with both lanes, so both sides are targets. MySQL 8 needs Docker: without it
     * its case is skipped with the reason ({@link io.graybridge.it.support.TestDatabases#mysql8()}).
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), false),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), true),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), false),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), false),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), false),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), false));
    }

    /** A {@code key_write} row: the last application write (position, stamp) and the key's current version. */
    record KeyRow(String table, long position, Instant stamp, Long versionStamp, String versionSide) {}

    /**
     * When a write committed, in epoch milliseconds: exactly ({@code low == high}: PostgreSQL, and MariaDB when the
     * bracket fell in one second) or somewhere in {@code [low, high]}.
     */
    record CommitTime(long low, long high) {
        boolean exact() {
            return low == high;
        }

        /** This time raised to at least {@code floor}, as a stamp is raised past the version it overwrote. */
        CommitTime atLeast(long floor) {
            return new CommitTime(Math.max(low, floor), Math.max(high, floor));
        }

        CommitTime plus(long millis) {
            return new CommitTime(low + millis, high + millis);
        }

        @Override
        public String toString() {
            return exact() ? Long.toString(low) : "[" + low + ", " + high + "]";
        }
    }

    @ParameterizedTest(name = "{0}, one database {1}")
    @MethodSource("cases")
    void shouldStampWritesInLogOrderCarryVersionsInMarksAndStampAgainAlikeAfterARestart(Engines engines,
            boolean oneDatabase) throws Exception {
        try (EngineShop shop = oneDatabase ? EngineShop.createInOnePostgresDatabase("lwst")
                : EngineShop.create("lwst", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: latest-wins\n"),
                    shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            String thousandWrites = thousandWritesOfCustomer1(shop);
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                shop.insertCustomers(1, 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).size() == 3);

                // (1) one v1 transaction writes customer 1 a thousand times: one commit time, and each write is
                // stamped after the one before it (same side: the next millisecond). On MariaDB the commit time is a
                // whole second, so the thousand writes tie and the raise orders them: the last stamp is that second's
                // 999th millisecond
                CommitTime c1 = write(shop, Side.V1, thousandWrites, customers, 1, true);
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).get(0).endsWith("|1001|A"));
                KeyRow v1Write = keyRow(shop, Side.V2, "v1-to-v2", "customers", 1);
                assertStamp(v1Write.versionStamp(), c1.plus(999), "the last of 1,000 writes in one commit");
                assertThat(v1Write.stamp()).isEqualTo(Instant.ofEpochMilli(v1Write.versionStamp()));
                assertThat(v1Write.versionSide()).isEqualTo("v1");

                // (2) v2 writes the row right after it arrived: its capture knows the version the v1-to-v2 lane wrote
                // from that lane's mark, so v2's write is stamped after it (v2 over v1: at least the next millisecond;
                // whether v2's clock passed it by then depends on how long the thousand changes took to cross; a
                // MariaDB v2 writing in the second v1's version was stamped in ties with it, and the raise decides)
                CommitTime c2 = write(shop, Side.V2, "UPDATE " + clients + " SET full_name = 'v2-after' WHERE id = 1",
                        clients, 1, false);
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V1).get(0).contains("|v2-after|"));
                KeyRow v2Write = keyRow(shop, Side.V1, "v2-to-v1", "clients", 1);
                System.out.printf("STAMPS %s: v1 commit %s, stamp %d; v2 commit %s, stamp %d (raised by %d ms%s)%n",
                        engines, c1, v1Write.versionStamp(), c2, v2Write.versionStamp(),
                        v2Write.versionStamp() - c2.high(), engines.v2() == Engine.MARIADB
                                && c2.high() / 1000 == v1Write.versionStamp() / 1000
                                        ? "; a whole-second tie with v1's version" : "");
                assertStamp(v2Write.versionStamp(), c2.atLeast(v1Write.versionStamp() + 1),
                        "v2's write after the version the mark named");
                assertThat(v2Write.stamp()).isEqualTo(Instant.ofEpochMilli(v2Write.versionStamp()));
                assertThat(v2Write.versionSide()).isEqualTo("v2");

                // (2b) a version an hour ahead of both clocks, as a mark of the v1-to-v2 lane names it (the lane's own
                // mark format, no delivered position): v2's next write of the key is stamped right after it
                long future = (System.currentTimeMillis() / 1000 + 3600) * 1000;
                mark(shop, Side.V2, "v1-to-v2", "clients", 1, future);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-future' WHERE id = 1");
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V1).get(0).contains("|v2-future|"));
                assertThat(keyRow(shop, Side.V1, "v2-to-v1", "clients", 1).versionStamp())
                        .as("v2 over the marked v1 version: the next millisecond").isEqualTo(future + 1);

                // (3) and back through the v2-to-v1 lane's real mark: v1 over v2's version, at least the same
                // millisecond (a tie goes to v1), so the hour ahead carries over
                shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'v1-again' WHERE id = 1");
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).get(0).contains("|v1-again|"));
                assertThat(keyRow(shop, Side.V2, "v1-to-v2", "customers", 1).versionStamp())
                        .as("v1 over v2's version").isEqualTo(future + 1);

                // (4) a batch writing 600 versions: its marks (at most 500 versions each) name every one, and the v2
                // side's capture stores them in key_write with its next offset (a v2 write makes one)
                shop.insertCustomers(100, 699);
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).size() == 603);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-two' WHERE id = 2");
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V1).get(1).contains("|v2-two|"));
                Map<String, KeyRow> onV2 = keyRows(shop, Side.V2, "v1-to-v2");
                Map<String, KeyRow> onV1 = keyRows(shop, Side.V1, "v2-to-v1");
                for (int id = 100; id <= 699; id++) {
                    KeyRow written = onV2.get(hash("customers", id));
                    KeyRow known = onV1.get(hash("clients", id));
                    assertThat(written).as("v1's insert of %d recorded", id).isNotNull();
                    assertThat(known).as("v2's capture knows the version the bridge wrote of client %d", id).isNotNull();
                    assertThat(known.versionStamp()).isEqualTo(written.stamp().toEpochMilli());
                    assertThat(known.versionSide()).isEqualTo("v1");
                    assertThat(known.table()).as("known by its hash only").isNull();
                    assertThat(known.position()).isEqualTo(-1);
                }
            }

            // (5) a write captured again after a restart gets the same stamp: a mark names a version of customer 3 two
            // hours ahead (as the v2-to-v1 lane's would), stored in key_write with the v1-to-v2 lane's next offset; then
            // a write of customer 3 whose batch fails on v2 (a CHECK constraint) after capture stamped it; the bridge
            // starts again, reads the version back from key_write and stamps the write again, alike
            shop.execute(Side.V2, "ALTER TABLE " + clients + " ADD CONSTRAINT boom CHECK (full_name <> 'boom')");
            Instant firstStamp;
            long future2 = (System.currentTimeMillis() / 1000 + 7200) * 1000;
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                mark(shop, Side.V1, "v2-to-v1", "customers", 3, future2);
                shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'stored' WHERE id = 2");
                await().atMost(Duration.ofSeconds(30)).until(() -> shop.customers(Side.V2).get(1).contains("|stored|"));
                KeyRow marked = keyRow(shop, Side.V2, "v1-to-v2", "customers", 3);
                assertThat(marked.versionStamp()).as("the marked version, stored with the offset").isEqualTo(future2);
                assertThat(marked.versionSide()).isEqualTo("v2");
                CommitTime c6 = write(shop, Side.V1, "UPDATE " + customers + " SET name = 'boom' WHERE id = 3",
                        customers, 3, false);
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(30)).until(() -> lane.state() == Lane.State.FAILED);
                assertThat(lane.failure()).as("the batch failed on v2's CHECK constraint")
                        .hasStackTraceContaining("boom");
                CaptureKnowledge.Known known = lane.knowledge().read(List.of(ByteBuffer.wrap(KeyText.hash("customers",
                        "3")))).keys().get(ByteBuffer.wrap(KeyText.hash("customers", "3")));
                firstStamp = known.lastWrite().stamp();
                System.out.printf("STAMPS %s: restart case: version %d (v2), write committed %s, stamped %d%n", engines,
                        future2, c6, firstStamp.toEpochMilli());
                assertThat(firstStamp).as("v1 over the v2 version: the same millisecond").isEqualTo(
                        Instant.ofEpochMilli(future2));
                assertThat(keyRow(shop, Side.V2, "v1-to-v2", "customers", 3).versionStamp())
                        .as("the failed batch stored nothing").isEqualTo(future2);
            }
            shop.execute(Side.V2, "ALTER TABLE " + clients + " DROP CONSTRAINT boom");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).get(2).contains("|boom|"));
                KeyRow again = keyRow(shop, Side.V2, "v1-to-v2", "customers", 3);
                assertThat(again.stamp()).as("captured again after the restart").isEqualTo(firstStamp);
                assertThat(again.versionStamp()).isEqualTo(firstStamp.toEpochMilli());
                assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING);
            }
        }
    }

    /**
     * The statement that writes v1's customer 1 a thousand times in one transaction: a {@code DO} block on PostgreSQL;
     * on MariaDB and MySQL a call of a stored procedure created here, before any lane reads v1's log.
     */
    private static String thousandWritesOfCustomer1(EngineShop shop) {
        String customers = shop.table(Side.V1, "customers");
        if (!shop.engines().v1().binlog()) {
            return "DO $$ BEGIN FOR i IN 1..1000 LOOP UPDATE " + customers
                    + " SET balance_cents = balance_cents + 1 WHERE id = 1; END LOOP; END $$";
        }
        String procedure = shop.schema(Side.V1) + ".thousand_writes";
        shop.execute(Side.V1, "CREATE PROCEDURE " + procedure + "() BEGIN DECLARE i INT DEFAULT 0; START TRANSACTION;"
                + " WHILE i < 1000 DO UPDATE " + customers + " SET balance_cents = balance_cents + 1 WHERE id = 1;"
                + " SET i = i + 1; END WHILE; COMMIT; END");
        return "CALL " + procedure + "()";
    }

    /**
     * Runs {@code sql} (one statement, its own transaction) on {@code side} and returns when the transaction committed
     * as capture reads it: on PostgreSQL the commit millisecond of row {@code id} of {@code table}; on MariaDB and MySQL
     * the server's clock read before and after it on the same connection (each statement takes the time it starts
     * at), in whole seconds on MariaDB, whose binlog events carry the second.
     *
     * @param alignToSecond on MariaDB, start just after a second begins, so that both reads fall in one second and the
     *     time is exact
     */
    private static CommitTime write(EngineShop shop, Side side, String sql, String table, long id,
            boolean alignToSecond) throws SQLException, InterruptedException {
        Engine engine = shop.engines().of(side);
        if (!engine.binlog()) {
            shop.execute(side, sql);
            long millis = commitMillis(shop, side, table, id);
            return new CommitTime(millis, millis);
        }
        try (Connection c = shop.connect(side); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            long now = serverMicros(s);
            if (alignToSecond && engine == Engine.MARIADB && now % 1_000_000 > 100_000) {
                Thread.sleep((1_000_000 - now % 1_000_000) / 1000 + 5);
            }
            long before = serverMicros(s);
            s.execute(sql);
            long after = serverMicros(s);
            return engine == Engine.MARIADB
                    ? new CommitTime(before / 1_000_000 * 1000, after / 1_000_000 * 1000)
                    : new CommitTime(before / 1000, after / 1000);
        }
    }

    /** The server's clock, in epoch microseconds, as the statement reading it started. */
    private static long serverMicros(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP(NOW(6))")) {
            rs.next();
            return rs.getBigDecimal(1).movePointRight(6).longValueExact();
        }
    }

    /** {@code actual} is the stamp {@code expected} names: exactly, or within its bracket. */
    private static void assertStamp(Long actual, CommitTime expected, String what) {
        if (expected.exact()) {
            assertThat(actual).as(what).isEqualTo(expected.low());
        } else {
            assertThat(actual).as(what + " (commit time bracketed)").isBetween(expected.low(), expected.high());
        }
    }

    /**
     * A mark of {@code lane} written by hand on {@code side}, naming version {@code stamp} of key {@code id} of
     * {@code table} and no delivered position, in a transaction of its own: on PostgreSQL the lane's logical message
     * ({@code <bridge>/<lane>;<hash>=<ms>}), on MariaDB and MySQL an upsert of the lane's {@code tx_marker} row with
     * the versions in its {@code stamps} column, as the lane's writer writes its marks.
     */
    private static void mark(EngineShop shop, Side side, String lane, String table, long id, long stamp) {
        String versions = Base64.getUrlEncoder().withoutPadding().encodeToString(KeyText.hash(table,
                Long.toString(id))) + "=" + stamp;
        if (!shop.engines().of(side).binlog()) {
            shop.execute(side, "SELECT pg_logical_emit_message(true, 'graybridge', '" + shop.bridgeName() + "/" + lane
                    + ";" + versions + "')");
            return;
        }
        shop.execute(side, "INSERT INTO " + shop.metadataSchema() + ".tx_marker (bridge, writer, seq, seen, stamps)"
                + " VALUES ('" + shop.bridgeName() + "', '" + lane + "', 1, NULL, '" + versions + "')"
                + " ON DUPLICATE KEY UPDATE seq = seq + 1, seen = VALUES(seen), stamps = VALUES(stamps)");
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
        }
    }

    /** The commit time, in milliseconds, of the transaction that last wrote row {@code id} of {@code table}. */
    private static long commitMillis(EngineShop shop, Side side, String table, long id) {
        return shop.count(side, "SELECT floor(extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000)::bigint FROM "
                + table + " WHERE id = " + id);
    }

    private static String hash(String table, long id) {
        return HexFormat.of().formatHex(KeyText.hash(table, Long.toString(id)));
    }

    private static KeyRow keyRow(EngineShop shop, Side target, String lane, String table, long id) {
        KeyRow row = keyRows(shop, target, lane).get(hash(table, id));
        assertThat(row).as("key_write of %s %s %d on %s", lane, table, id, target).isNotNull();
        return row;
    }

    /** Every {@code key_write} row of {@code lane}, by its key hash in hex. */
    private static Map<String, KeyRow> keyRows(EngineShop shop, Side target, String lane) {
        Map<String, KeyRow> out = new HashMap<>();
        try (Connection c = shop.connect(target); PreparedStatement ps = c.prepareStatement("SELECT key_hash, table_name,"
                + " write_position, stamp, version_stamp, version_side FROM " + shop.metadataSchema() + ".key_write"
                + " WHERE lane = ?")) {
            ps.setString(1, lane);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Timestamp stamp = rs.getTimestamp(4);
                    long version = rs.getLong(5);
                    Long versionStamp = rs.wasNull() ? null : version;
                    out.put(HexFormat.of().formatHex(rs.getBytes(1)), new KeyRow(rs.getString(2), rs.getLong(3),
                            stamp == null ? null : stamp.toInstant(), versionStamp, rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
