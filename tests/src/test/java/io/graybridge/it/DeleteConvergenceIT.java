package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.Compare;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concurrent deletes, updates and re-inserts under the fixed policies, end to end on real databases
 * (ARCHITECTURE.md, "Conflicts"): both sides converge on the policy's winner, deletes included (no add-wins), and the
 * lane into the winning side, which waits at the barrier for the other lane, records every concurrent pair.
 */
class DeleteConvergenceIT {

    /** Every engine pair, for the race while the bridge runs. */
    static Stream<Arguments> cases() {
        return Stream.concat(Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v1-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "v1-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "v1-wins"),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "v1-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "v1-wins")),
                latestWinsOnEveryPair());
    }

    /** The pairs for writes made while the bridge is down: every engine pair, under both policies. */
    static Stream<Arguments> stoppedCases() {
        return Stream.concat(Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v1-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "v1-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "v2-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "v1-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "v1-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "v2-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "v1-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "v2-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "v1-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "v2-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "v1-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "v2-wins")),
                // two-way latest-wins (ARCHITECTURE.md, "latest-wins: the build plan"): v2 writes last, so v2 wins
                latestWinsOnEveryPair());
    }

    /** Two-way latest-wins on every engine pair (MySQL 8 where Docker exists). */
    private static Stream<Arguments> latestWinsOnEveryPair() {
        return Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "latest-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), "latest-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MARIADB), "latest-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.MYSQL), "latest-wins"),
                Arguments.of(new Engines(Engine.MYSQL, Engine.POSTGRESQL), "latest-wins"),
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.MYSQL), "latest-wins"));
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
        }
    }

    /**
     * Both services write the same rows while the bridge is down, so every pair is concurrent (neither side had
     * received the other's writes): row 1 is the race ARCHITECTURE.md cites (v1 updates then deletes it, v2 updates
     * it twice), row 2 a v1 delete against a v2 update, row 3 a v1 update against a v2 delete, row 4 a v1 delete and
     * re-insert against a v2 update. v1 writes first; under {@code latest-wins} v2 writes more than a second later
     * (MariaDB's commit times are whole seconds), so every v2 write is the later one and v2 wins every pair, and both
     * lanes record every concurrent pair (either may lose, so both wait at the barrier).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stoppedCases")
    void shouldConvergeOnThePolicysWinnerWhenDeletesUpdatesAndReinsertsWereConcurrent(Engines engines, String policy)
            throws Exception {
        try (EngineShop shop = EngineShop.create("dconv", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: " + policy + "\n"),
                    shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                shop.insertCustomers(1, 4);
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 4);
                // a v2 write that crosses too, so the v2-to-v1 lane has delivered something before the race
                shop.execute(Side.V2, "UPDATE " + clients + " SET email = 'x@shop.test' WHERE id = 4");
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.inSync()
                        && shop.customers(Side.V1).get(3).contains("x@shop.test"));
            }
            // each key recorded once, whether its row is still there or already pruned (the reverse lane's stored seen
            // may have passed it: it can no longer make a conflict)
            // (application writes only: under latest-wins the table also holds keys known from the other lane's marks,
            // with no write, position -1)
            assertThat(shop.count(Side.V2, "SELECT count(*) FROM " + shop.metadataSchema() + ".key_write"
                    + " WHERE lane = 'v1-to-v2' AND write_position <> -1")
                    + shop.progress(Side.V2, "v1-to-v2", "key_writes_pruned"))
                    .as("v1's writes recorded on v2, per key").isEqualTo(4);
            assertThat(shop.count(Side.V1, "SELECT count(*) FROM " + shop.metadataSchema() + ".key_write"
                    + " WHERE lane = 'v2-to-v1' AND write_position <> -1")
                    + shop.progress(Side.V1, "v2-to-v1", "key_writes_pruned"))
                    .as("v2's write recorded on v1").isEqualTo(1);

            boolean latestWins = policy.equals("latest-wins");
            shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'v1-a' WHERE id = 1");
            shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 1");
            shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 2");
            shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'v1-d' WHERE id = 3");
            shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 4");
            shop.execute(Side.V1, "INSERT INTO " + customers + " (id, name, balance_cents) VALUES (4, 'v1-e', 444)");
            if (latestWins) {
                Thread.sleep(1_100); // every v2 write later than every v1 write, also in MariaDB's whole seconds
            }
            shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-a' WHERE id = 1");
            shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-b', balance = 9.99 WHERE id = 1");
            shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-c' WHERE id = 2");
            shop.execute(Side.V2, "DELETE FROM " + clients + " WHERE id = 3");
            shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'v2-f' WHERE id = 4");

            boolean v1Wins = policy.equals("v1-wins");
            List<String> expected = v1Wins
                    ? List.of("3|v1-d|null|3|A", "4|v1-e|null|444|A")
                    : List.of("1|v2-b|null|999|A", "2|v2-c|null|2|A", "4|v2-f|x@shop.test|4|A");
            List<Lane> closedLanes;
            try (Bridge bridge = Bridge.open(cfg)) {
                closedLanes = bridge.lanes();
                bridge.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    return shop.customers(Side.V1).equals(expected) && shop.customers(Side.V2).equals(expected);
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> Compare.clean(shop, cfg));
            }
            // a close that ends a batch waiting at the barrier is a clean stop, not a lane failure
            for (Lane lane : closedLanes) {
                assertThat(lane.state()).as("lane %s after close: %s", lane.name(), lane.failure())
                        .isEqualTo(Lane.State.STOPPED);
            }
            // The rows converge as soon as the lane into the losing side applied the winner's writes; the losing writes
            // change no row, so the lane into the winning side may still be delivering them when the rows match (at
            // the barrier, or its MariaDB binlog reader still connecting), and the bridge just closed may have stopped
            // it there: its batch rolled back, position and counters with it. A bridge started again delivers them
            // from the stored position, none skipped and none twice: each lane's changes_applied counts every change
            // it delivered, winning or losing (v1: 4 inserts, then 6 writes; v2: 1 update, then 5 writes).
            String appliedAtClose = "at the close before: v1-to-v2 " + shop.progress(Side.V2, "v1-to-v2", "changes_applied")
                    + ", v2-to-v1 " + shop.progress(Side.V1, "v2-to-v1", "changes_applied");
            System.out.println("[DeleteConvergenceIT] " + engines + " " + policy + ": applied " + appliedAtClose
                    + " (of 10 and 6)");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    assertThat(shop.progress(Side.V2, "v1-to-v2", "changes_applied"))
                            .as("v1's changes delivered to v2 (%s)", appliedAtClose).isEqualTo(10);
                    assertThat(shop.progress(Side.V1, "v2-to-v1", "changes_applied"))
                            .as("v2's changes delivered to v1 (%s)", appliedAtClose).isEqualTo(6);
                });
            }
            assertThat(shop.customers(Side.V1)).isEqualTo(expected);
            assertThat(shop.customers(Side.V2)).isEqualTo(expected);

            // the lane into the winning side records every concurrent pair, with its kind, the winner and the policy
            Side winnerSide = v1Wins ? Side.V1 : Side.V2;
            String intoWinner = v1Wins ? "v2-to-v1" : "v1-to-v2";
            List<String> kinds = shop.rows(winnerSide, "SELECT kind, winner, policy FROM " + shop.metadataSchema()
                    + ".conflict_log WHERE lane = '" + intoWinner + "' ORDER BY kind");
            String w = winnerSide.id();
            String detail = shop.rows(winnerSide, "SELECT row_key, kind, source_position FROM " + shop.metadataSchema()
                    + ".conflict_log ORDER BY id") + " applied " + shop.progress(winnerSide, intoWinner, "changes_applied")
                    + " key_write " + shop.rows(v1Wins ? Side.V2 : Side.V1, "SELECT lane, table_name, row_key, write_position,"
                    + " tombstone FROM " + shop.metadataSchema() + ".key_write");
            assertThat(kinds).as("conflicts recorded on %s: %s", w, detail).isEqualTo(v1Wins
                    ? List.of("DELETE_UPDATE|" + w + "|" + policy, "UPDATE_DELETE|" + w + "|" + policy,
                            "UPDATE_DELETE|" + w + "|" + policy, "UPDATE_DELETE|" + w + "|" + policy,
                            "UPDATE_UPDATE|" + w + "|" + policy)
                    : List.of("DELETE_UPDATE|" + w + "|" + policy, "DELETE_UPDATE|" + w + "|" + policy,
                            "DELETE_UPDATE|" + w + "|" + policy, "INSERT_INSERT|" + w + "|" + policy,
                            "UPDATE_DELETE|" + w + "|" + policy, "UPDATE_UPDATE|" + w + "|" + policy));
            assertThat(shop.progress(winnerSide, intoWinner, "conflicts_current_kept")).isEqualTo(kinds.size());
            assertThat(shop.progress(winnerSide, intoWinner, "conflicts_incoming_won")).isZero();
            if (latestWins) {
                // the lane into the losing side (v1) waited at the barrier too, so it knows and records every pair
                List<String> onLoser = shop.rows(Side.V1, "SELECT kind, winner, policy FROM " + shop.metadataSchema()
                        + ".conflict_log WHERE lane = 'v2-to-v1' ORDER BY kind");
                String p = "|v2|" + policy;
                assertThat(onLoser).as("conflicts recorded on v1: %s", detail).isEqualTo(List.of("DELETE_UPDATE" + p,
                        "UPDATE_DELETE" + p, "UPDATE_DELETE" + p, "UPDATE_UPDATE" + p, "UPDATE_UPDATE" + p));
                assertThat(shop.progress(Side.V1, "v2-to-v1", "conflicts_incoming_won")).isEqualTo(onLoser.size());
                assertThat(shop.progress(Side.V1, "v2-to-v1", "conflicts_current_kept")).isZero();
            }
        }
    }

    /** The pairs for the wait shown in status: the winning side on each engine. */
    static Stream<Arguments> waitCases() {
        return Stream.of(
                Arguments.of(new Engines(Engine.POSTGRESQL, Engine.POSTGRESQL), "v1-wins"),
                Arguments.of(new Engines(Engine.MARIADB, Engine.MARIADB), "v2-wins"));
    }

    /**
     * Dependence between lanes (ARCHITECTURE.md, "Deletes"): with the lane into the losing side stopped, the lane into
     * the winning side waits at the barrier instead of deciding on incomplete knowledge, and {@code graybridge status}
     * (reading the metadata from outside the process) shows what it waits for; once the other lane runs again (here in
     * a second bridge instance running only that lane), the wait ends, the change crosses and status shows no wait.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("waitCases")
    void shouldShowInStatusThatTheLaneIntoTheWinningSideWaitsWhileTheOtherLaneIsStopped(Engines engines, String policy)
            throws Exception {
        try (EngineShop shop = EngineShop.create("dwait", engines)) {
            String conflicts = "conflicts:\n  policy: " + policy + "\n";
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, conflicts), shop.env());
            boolean v1Wins = policy.equals("v1-wins");
            BridgeConfig otherLaneOnly = ConfigLoader.load(v1Wins ? shop.writeConfig(false, conflicts)
                    : shop.writeConfig(true, conflicts, "    enabled: false\n"), shop.env());
            Direction intoWinner = v1Wins ? Direction.BACKWARD : Direction.FORWARD;
            Direction other = intoWinner.reverse();
            Side winner = intoWinner.target();
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            String statusConfig = shop.withInlinePasswords(shop.writeConfig(true, conflicts)).toString();
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                shop.insertCustomers(1, 2);
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 2);
                if (!v1Wins) {
                    // v2-wins: the lane into the winning side is v1-to-v2; the other lane (v2-to-v1) must have delivered
                    // once so it has a position to resume from in the second instance
                    shop.execute(Side.V2, "UPDATE " + clients + " SET email = 'x@shop.test' WHERE id = 2");
                    await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V1).get(1).contains("x@shop.test"));
                }
                Lane stopped = bridge.lane(other).orElseThrow();
                stopped.close();
                assertThat(stopped.awaitStop(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

                // a change into the winning side: its lane waits for the stopped lane
                if (v1Wins) {
                    shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'waits' WHERE id = 1");
                } else {
                    shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'waits' WHERE id = 1");
                }
                JsonNode[] waiting = {null};
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    waiting[0] = laneStatus(statusConfig, intoWinner).get("waiting");
                    return waiting[0] != null && !waiting[0].isNull();
                });
                System.out.println("[DeleteConvergenceIT] " + engines + " " + policy + ": status shows " + waiting[0]);
                assertThat(waiting[0].get("for_lane").asText()).isEqualTo(other.laneName());
                assertThat(waiting[0].get("stale").asBoolean()).isFalse();
                assertThat(waiting[0].get("to_pass").asText()).isNotEqualTo(waiting[0].get("it_stored").asText());
                assertThat(waiting[0].get("text").asText()).startsWith("waiting for lane " + other.laneName() + " to pass ");
                assertThat(bridge.lane(intoWinner).orElseThrow().stats().waitingFor()).isPresent();
                assertThat(shop.customers(winner)).as("nothing decided on incomplete knowledge")
                        .noneMatch(r -> r.contains("waits"));

                // the other lane runs again (a second instance running only it): the wait ends, the change crosses
                try (Bridge otherLane = Bridge.open(otherLaneOnly)) {
                    otherLane.start();
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        assertThat(otherLane.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lane running");
                        assertThat(shop.customers(winner)).anyMatch(r -> r.contains("waits"));
                        assertThat(laneStatus(statusConfig, intoWinner).get("waiting").isNull()).as("wait cleared")
                                .isTrue();
                    });
                }
                assertThat(bridge.lane(intoWinner).orElseThrow().state()).isEqualTo(Lane.State.RUNNING);
            }
            assertThat(shop.customers(Side.V1)).isEqualTo(shop.customers(Side.V2));
        }
    }

    /** {@code graybridge status --format json}'s document of {@code lane}. */
    private static JsonNode laneStatus(String config, Direction lane) {
        Cli.Run status = Cli.run("status", "-c", config, "--format", "json", "--sample-seconds", "0");
        assertThat(status.exit()).as("status: %s", status).isZero();
        for (JsonNode l : status.json().get("lanes")) {
            if (l.get("lane").asText().equals(lane.laneName())) {
                return l;
            }
        }
        throw new AssertionError("no lane " + lane.laneName() + " in " + status);
    }

    @AfterEach
    void restoreVersionMargin() {
        io.graybridge.bridge.apply.KeyWritePruner.versionMarginForTests(
                io.graybridge.bridge.apply.KeyWritePruner.VERSION_MARGIN_MILLIS);
    }

    /**
     * The race of ARCHITECTURE.md while the bridge runs: on 20 rows, v1 updates a row while v2 updates it (v2's
     * transaction open across v1's commit, so the two are concurrent), v1 deletes it, v2 updates it again, back to back. Whatever the lanes delivered in between, the sides end equal; under
     * {@code v1-wins} every row is gone on both (v1's delete is the greatest write: v2's updates either were
     * concurrent and lose, or came after the delete and changed nothing).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void shouldConvergeOnTheUpdateThenDeleteRaceWhileTheBridgeRuns(Engines engines, String policy) throws Exception {
        // under latest-wins a row's version must also be older than the lane's last applied commit less a margin
        io.graybridge.bridge.apply.KeyWritePruner.versionMarginForTests(0);
        try (EngineShop shop = EngineShop.create("drace", engines)) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "conflicts:\n  policy: " + policy + "\n"),
                    shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                shop.insertCustomers(101, 120);
                shop.insertCustomers(201, 202);
                await().atMost(Duration.ofSeconds(60)).until(() -> shop.customers(Side.V2).size() == 22);
                for (int id = 101; id <= 120; id++) {
                    // v2's first update holds the row on v2 while v1's commits, so it commits before lane v1-to-v2
                    // can deliver v1's (that lane's locked read waits for it): the two are concurrent whatever the
                    // machine's speed (run back to back, a slow test thread let each write cross first: no conflict)
                    try (java.sql.Connection v2 = shop.connect(Side.V2)) {
                        v2.setAutoCommit(false);
                        try (java.sql.Statement st = v2.createStatement()) {
                            st.executeUpdate("UPDATE " + clients + " SET full_name = 'v2-" + id + "' WHERE id = " + id);
                        }
                        shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'v1-" + id + "' WHERE id = " + id);
                        v2.commit();
                    }
                    shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = " + id);
                    shop.execute(Side.V2, "UPDATE " + clients + " SET balance = 7.77 WHERE id = " + id);
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    return shop.inSync() && Compare.clean(shop, cfg);
                });
                if (policy.equals("latest-wins")) {
                    // both lanes know every concurrent pair: v2's first update of each row met v1's update on both
                    // sides (whichever stamp was later)
                    for (Side target : Side.values()) {
                        String lane = target == Side.V1 ? "v2-to-v1" : "v1-to-v2";
                        long logged = shop.count(target, "SELECT count(*) FROM " + shop.metadataSchema()
                                + ".conflict_log WHERE lane = '" + lane + "'");
                        System.out.println("[DeleteConvergenceIT] " + engines + " " + policy + ": conflicts on "
                                + target.id() + " " + shop.rows(target, "SELECT kind, winner, count(*) FROM "
                                + shop.metadataSchema() + ".conflict_log GROUP BY kind, winner ORDER BY kind, winner"));
                        assertThat(logged).as("conflicts recorded by lane %s", lane).isGreaterThanOrEqualTo(20);
                        assertThat(shop.progress(target, lane, "conflicts_incoming_won + conflicts_current_kept"))
                                .as("counted as logged").isEqualTo(logged);
                    }
                    // both lanes waited at the barrier for the other's capture, and counted it (the metrics' source)
                    for (Lane l : bridge.lanes()) {
                        System.out.println("[DeleteConvergenceIT] " + engines + " " + policy + ": " + l.name() + " waited "
                                + l.stats().barrierWaits() + " times at the barrier, " + l.stats().barrierWaitNanos()
                                / 1_000_000 + " ms in all, " + l.stats().batches() + " batches");
                        assertThat(l.stats().barrierWaits()).as("%s waits at the barrier", l.name()).isPositive();
                        assertThat(l.stats().barrierWaitNanos()).isPositive();
                    }
                }
                // key_write pruning: a trickle of writes on two other rows keeps both lanes committing; every row of
                // the race keys goes (at or before the reverse lane's stored seen position), the trickled key's row stays
                // at most, and the sides stay equal
                // (pruning may have begun already: the counters below say how many rows went). Under latest-wins a
                // row also waits until its version is older than the lane's last applied commit less a margin (a
                // minute; none here), and each lane also keeps the other trickled key, known from the other lane's
                // marks with a recent version
                boolean latestWins = policy.equals("latest-wins");
                long left = latestWins ? 2 : 1;
                int[] n = {0};
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    n[0]++;
                    shop.execute(Side.V1, "UPDATE " + customers + " SET name = 'trickle-" + n[0] + "' WHERE id = 201");
                    shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'trickle-" + n[0] + "' WHERE id = 202");
                    return shop.count(Side.V2, "SELECT count(*) FROM " + shop.metadataSchema() + ".key_write"
                            + " WHERE lane = 'v1-to-v2'") <= left && shop.count(Side.V1, "SELECT count(*) FROM "
                            + shop.metadataSchema() + ".key_write WHERE lane = 'v2-to-v1'") <= left;
                });
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    assertThat(bridge.lanes()).allMatch(l -> l.state() == Lane.State.RUNNING, "lanes running");
                    return shop.inSync() && Compare.clean(shop, cfg);
                });
                long prunedOnV2 = shop.progress(Side.V2, "v1-to-v2", "key_writes_pruned");
                long prunedOnV1 = shop.progress(Side.V1, "v2-to-v1", "key_writes_pruned");
                System.out.println("[DeleteConvergenceIT] " + engines + " " + policy + ": key_write rows pruned: v1-to-v2 "
                        + prunedOnV2 + ", v2-to-v1 " + prunedOnV1 + " (" + n[0] + " trickle rounds)");
                assertThat(prunedOnV2).as("v1's 21 keys pruned on v2 (20 race keys and row 202's insert)")
                        .isGreaterThanOrEqualTo(latestWins ? 20 : 21);
                assertThat(prunedOnV1).as("v2's 20 race keys pruned on v1").isGreaterThanOrEqualTo(20);
                assertThat(bridge.lane(Direction.FORWARD).orElseThrow().stats().keyWritesPruned()
                        + bridge.lane(Direction.BACKWARD).orElseThrow().stats().keyWritesPruned())
                        .as("this run's pruning, counted in the lanes' stats too").isEqualTo(prunedOnV2 + prunedOnV1);
                Cli.Run status = Cli.run("status", "-c", shop.withInlinePasswords(shop.writeConfig(true,
                        "conflicts:\n  policy: " + policy + "\n")).toString(), "--format", "json", "--sample-seconds", "0");
                assertThat(status.exit()).as("status: %s", status).isZero();
                for (JsonNode lane : status.json().get("lanes")) {
                    assertThat(lane.get("key_writes_pruned").asLong()).as("%s", status).isEqualTo(
                            lane.get("lane").asText().equals("v1-to-v2") ? prunedOnV2 : prunedOnV1);
                }
                if (policy.equals("v1-wins")) {
                    shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id IN (201, 202)");
                    await().atMost(Duration.ofSeconds(60)).until(() -> shop.inSync());
                    assertThat(shop.customers(Side.V1)).isEmpty();
                    assertThat(shop.customers(Side.V2)).isEmpty();
                    assertThat(shop.count(Side.V1, "SELECT count(*) FROM " + shop.metadataSchema() + ".conflict_log"
                            + " WHERE lane = 'v2-to-v1'")).as("v2's first update of each of the 20 rows met v1's"
                                    + " concurrent update").isGreaterThanOrEqualTo(20);
                }
            }
        }
    }
}
