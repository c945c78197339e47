package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.reconcile.ComparePath;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.CompareOptions.Strategy;
import io.graybridge.reconcile.Equivalence;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import io.graybridge.reconcile.live.ContinuousVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reconciler, {@code drift}, {@code repair} and {@code gate} on every engine pair with a MariaDB side: planted
 * drift of each kind found exactly (slow path: pushdown needs PostgreSQL on both sides), repaired in marked
 * transactions that the reverse lane drops, then zero; the gate fails on drift and passes once clean; text keys
 * ordered alike by both engines.
 */
class EngineReconcilerIT {

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.MARIADB), new Engines(Engine.MARIADB, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL));
    }

    private static void awaitStreaming(Bridge bridge) {
        for (Lane lane : bridge.lanes()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
            assertThat(lane.state()).as("lane %s failure: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
        }
    }

    /** Runs {@code statements} on {@code side} in one transaction carrying the bridge's marker: no lane carries it over. */
    private static void writeUnseen(EngineShop shop, Side side, String... statements) {
        Dialect dialect = Dialect.valueOf(shop.engines().of(side).name());
        try (Connection c = shop.connect(side)) {
            c.setAutoCommit(false);
            LoopGuard.of(dialect, shop.bridgeName(), shop.metadataSchema()).mark(c, "it-planted");
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldFindPlantedDriftExactlyRepairItWithoutAnEchoAndGateOnIt(Engines engines) {
        try (EngineShop shop = EngineShop.create("erecon", engines)) {
            shop.insertCustomers(1, 300);
            shop.execute(Side.V1, "UPDATE " + shop.table(Side.V1, "customers") + " SET email = CONCAT('c', id, '@example.com')");
            Path yaml = shop.writeConfig(true, "");
            BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
            String config = shop.withInlinePasswords(yaml).toString();
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                await().atMost(Duration.ofSeconds(60)).until(shop::inSync);
                // v2's service writes too: both lanes have applied something (the gate wants every lane's lag)
                shop.execute(Side.V2, "UPDATE " + shop.table(Side.V2, "clients") + " SET full_name = 'from v2' WHERE id = 1");
                await().atMost(Duration.ofSeconds(30)).until(shop::inSync);
                Lane backward = bridge.lane(Direction.BACKWARD).orElseThrow();

                Cli.Run clean = Cli.run("drift", "-c", config, "--format", "json");
                assertThat(clean.exit()).as("%s", clean).isZero();
                JsonNode first = clean.json().get("tables").get(0);
                assertThat(first.get("compared").asLong()).isEqualTo(300);
                boolean sameEngine = engines.v1() == engines.v2();
                assertThat(first.get("path").asText()).as("%s", clean).isEqualTo(sameEngine ? "pushdown" : "slow");
                if (!sameEngine) {
                    assertThat(first.get("pathNote").asText()).contains("same engine on both sides");
                }

                // missing, extra, changed column, changed key, NULL vs '': written past the lanes
                writeUnseen(shop, Side.V2, "DELETE FROM " + clients + " WHERE id = 10",
                        "INSERT INTO " + clients + " (id, full_name, balance) VALUES (999999, 'ghost', 0)",
                        "UPDATE " + clients + " SET balance = balance + 1 WHERE id = 200",
                        "UPDATE " + clients + " SET id = 500000 WHERE id = 30",
                        "UPDATE " + clients + " SET email = NULL WHERE id = 40");
                writeUnseen(shop, Side.V1, "UPDATE " + customers + " SET email = '' WHERE id = 40");

                SideTable v1 = new SideTable(bridge.side(Side.V1).dataSource(), shop.schema(Side.V1), "customers", List.of("id"));
                SideTable v2 = new SideTable(bridge.side(Side.V2).dataSource(), shop.schema(Side.V2), "clients", List.of("id"));
                TableMapping mapping = cfg.mappings().named("customers").orElseThrow();
                for (Strategy strategy : sameEngine ? List.of(Strategy.PUSHDOWN, Strategy.SLOW) : List.of(Strategy.SLOW)) {
                    TableComparison direct = TableComparator.compare(mapping, v1, v2,
                            CompareOptions.defaults().withStrategy(strategy).withSampleLimit(100).withChunks(7, 4));
                    assertThat(direct.path()).isEqualTo(strategy == Strategy.PUSHDOWN ? ComparePath.PUSHDOWN : ComparePath.SLOW);
                    assertThat(direct.samples()).as("%s", strategy).containsExactly(
                            "missing on v2: {id=10}",
                            "missing on v2: {id=30}",
                            "mismatch at {id=40}: email v1->v2 '' vs v2 NULL",
                            "mismatch at {id=200}: balance v1->v2 2.00 vs v2 3.00",
                            "extra on v2: {id=500000}",
                            "extra on v2: {id=999999}");
                    assertThat(direct.matched()).isEqualTo(296);
                }

                Cli.Run drift = Cli.run("drift", "-c", config, "--format", "json");
                assertThat(drift.exit()).as("%s", drift).isEqualTo(1);
                JsonNode t = drift.json().get("tables").get(0);
                assertThat(t.get("missingOnV2").asLong()).as("%s", drift).isEqualTo(2);
                assertThat(t.get("extraOnV2").asLong()).isEqualTo(2);
                assertThat(t.get("mismatched").asLong()).isEqualTo(2);
                assertThat(t.get("mismatchedColumns").toString()).isEqualTo("{\"balance\":1,\"email\":1}");
                assertThat(t.get("recheck").get("lanesCaughtUp").asBoolean()).as("live re-check after the lanes caught up: %s",
                        drift).isTrue();

                Cli.Run failing = Cli.run("gate", "promote", "-c", config);
                assertThat(failing.exit()).as("%s", failing).isEqualTo(1);
                assertThat(failing.out()).contains("FAIL");

                long echoes = backward.stats().echoesSuppressed();
                long applied = backward.stats().streamedChanges();
                Cli.Run repair = Cli.run("repair", "-c", config, "--from", "v1");
                assertThat(repair.exit()).as("%s", repair).isZero();
                assertThat(repair.out()).contains("REPAIRED: 6 change(s) made on v2 from v1");
                await().atMost(Duration.ofSeconds(30)).until(() -> backward.stats().echoesSuppressed() >= echoes + 6);
                assertThat(backward.stats().streamedChanges()).as("the repair came back to v1 as an echo").isEqualTo(applied);
                assertThat(shop.count(Side.V1, "SELECT count(*) FROM " + customers + " WHERE email = '' AND id = 40")).isEqualTo(1);

                Cli.Run after = Cli.run("drift", "-c", config);
                assertThat(after.exit()).as("%s", after).isZero();
                Cli.Run passing = Cli.run("gate", "promote", "-c", config);
                assertThat(passing.exit()).as("%s", passing).isZero();
                assertThat(passing.out()).contains("PASS");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldOrderTextKeysByCodePointOnBothEnginesSoTheMergeJoinFindsExactlyThePlantedDrift(Engines engines) {
        try (EngineShop shop = EngineShop.create("ewords", engines)) {
            for (Side side : Side.values()) {
                boolean maria = engines.of(side).binlog();
                String words = shop.table(side, "words");
                shop.execute(side, "CREATE TABLE " + words + " (w " + (maria
                        ? "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" : "text") + " PRIMARY KEY, n INT,"
                        + " c CHAR(4), d DECIMAL(10,3))");
                for (String w : List.of("a", "B", "b2", "é", "Z", "aa", "a b", "😀", "zz", "Ö", "_x", "~")) {
                    shop.execute(side, "INSERT INTO " + words + " VALUES ('" + w + "', " + w.length() + ", 'ab', 1.5)");
                }
            }
            shop.execute(Side.V2, "UPDATE " + shop.table(Side.V2, "words") + " SET n = 99 WHERE w = 'é'");
            shop.execute(Side.V2, "DELETE FROM " + shop.table(Side.V2, "words") + " WHERE w = 'Z'");
            shop.execute(Side.V2, "INSERT INTO " + shop.table(Side.V2, "words") + " VALUES ('ß', 1, 'x', 0)");
            TableMapping words = MappingFiles.identity("words");
            SideTable v1 = new SideTable(dataSource(shop, Side.V1), shop.schema(Side.V1), "words", List.of("w"));
            SideTable v2 = new SideTable(dataSource(shop, Side.V2), shop.schema(Side.V2), "words", List.of("w"));
            TableComparison r = TableComparator.compare(words, v1, v2,
                    CompareOptions.defaults().withStrategy(CompareOptions.Strategy.SLOW).withChunks(3, 1).withSampleLimit(50));
            // code-point order: B Z _x a 'a b' aa b2 zz ~ Ö ß é 😀 (a case- and accent-blind collation on MariaDB)
            assertThat(r.samples()).containsExactly("missing on v2: {w='Z'}", "extra on v2: {w='ß'}",
                    "mismatch at {w='é'}: n v1->v2 1 vs v2 99");
            assertThat(r.matched()).isEqualTo(10);
            TableComparison again = TableComparator.recheck(words, v1, v2, List.of(List.of("Z"), List.of("a"), List.of("A")),
                    CompareOptions.defaults());
            assertThat(again.missingOnV2()).as("%s", again.samples()).isEqualTo(1);
            assertThat(again.matched()).as("'A' is not 'a', whatever the collation says").isEqualTo(1);
            assertThat(again.extraOnV2()).isZero();
            assertThat(Map.of("v1", r.v1Rows(), "v2", r.v2Rows())).isEqualTo(Map.of("v1", 12L, "v2", 12L));
            if (engines.v1().binlog() && engines.v1() == engines.v2()) {
                // pushdown ranges text keys by their bytes too, so its chunks and its answer are the slow path's
                TableComparison pushdown = TableComparator.compare(words, v1, v2, CompareOptions.defaults()
                        .withStrategy(CompareOptions.Strategy.PUSHDOWN).withChunks(3, 1).withSampleLimit(50));
                assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
                assertThat(pushdown.samples()).isEqualTo(r.samples());
                assertThat(pushdown.matched()).isEqualTo(10);
            }
        }
    }

    /**
     * A lane capturing MariaDB, stopped with a change it has not applied: neither drift nor clean can be claimed, so
     * the table is "could not check" (stopped and behind at once when no binlog reader of the user runs, else after the
     * catch-up timeout: other suites may read the same server's binlog as the same user).
     */
    @org.junit.jupiter.api.Test
    void shouldSayCouldNotCheckWhenALaneCapturingMariaDbIsStoppedAndBehind() {
        try (EngineShop shop = EngineShop.create("estop", new Engines(Engine.MARIADB, Engine.MARIADB))) {
            shop.insertCustomers(1, 50);
            Path yaml = shop.writeConfig(false, "reconcile:\n  catch-up-timeout-seconds: 3\n");
            BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
            String config = shop.withInlinePasswords(yaml).toString();
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                awaitStreaming(bridge);
                await().atMost(Duration.ofSeconds(60)).until(shop::inSync);
                shop.execute(Side.V1, "UPDATE " + shop.table(Side.V1, "customers") + " SET name = 'streamed' WHERE id = 1");
                await().atMost(Duration.ofSeconds(30)).until(shop::inSync);
            }
            Cli.Run caughtUp = Cli.run("drift", "-c", config);
            assertThat(caughtUp.exit()).as("%s", caughtUp).isZero();

            shop.execute(Side.V1, "UPDATE " + shop.table(Side.V1, "customers") + " SET name = 'changed while stopped' WHERE id = 5");
            Cli.Run stopped = Cli.run("drift", "-c", config, "--table", "customers");
            assertThat(stopped.exit()).as("%s", stopped).isEqualTo(2);
            assertThat(stopped.out()).contains("COULD NOT CHECK: customers -> clients: 1 difference(s) remain")
                    .containsAnyOf("lane v1-to-v2 is stopped and behind", "lane v1-to-v2 did not catch up within");
            assertThat(stopped.out() + stopped.err()).doesNotContain("\tat ");
        }
    }

    /**
     * Pushdown on MariaDB (both sides MariaDB: MD5 of a canonical text per row, summed per chunk) and the slow path
     * agree on planted drift that is dense, sits on chunk boundaries, hides behind a decimal scale change, and on
     * NULL vs '' under both equivalences.
     */
    @org.junit.jupiter.api.Test
    void shouldGiveTheSameAnswerOnPushdownAndTheSlowPathOnMariaDb() {
        try (EngineShop shop = EngineShop.create("epush", new Engines(Engine.MARIADB, Engine.MARIADB))) {
            shop.insertCustomers(1, 3000);
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            shop.execute(Side.V1, "UPDATE " + customers + " SET email = CONCAT('c', id, '@example.com')");
            shop.execute(Side.V2, "INSERT INTO " + clients + " (id, full_name, email, balance, status, tier, created_at)"
                    + " SELECT id, name, email, balance_cents / 100, status, 'standard', created_at FROM " + customers);
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(false, ""), shop.env());
            TableMapping mapping = cfg.mappings().named("customers").orElseThrow();
            SideTable v1 = new SideTable(dataSource(shop, Side.V1), shop.schema(Side.V1), "customers", List.of("id"));
            SideTable v2 = new SideTable(dataSource(shop, Side.V2), shop.schema(Side.V2), "clients", List.of("id"));

            TableComparison clean = TableComparator.compare(mapping, v1, v2, CompareOptions.defaults().withChunks(100, 16));
            assertThat(clean.path()).as(clean.pathNote()).isEqualTo(ComparePath.PUSHDOWN);
            assertThat(clean.clean()).as("%s", clean.samples()).isTrue();
            assertThat(clean.matched()).isEqualTo(3000);

            shop.execute(Side.V2, "ALTER TABLE " + clients + " MODIFY balance DECIMAL(14,4) NOT NULL DEFAULT 0"); // not drift
            shop.execute(Side.V2, "UPDATE " + clients + " SET balance = balance + 1 WHERE id % 3 = 0 AND id < 1500");
            shop.execute(Side.V2, "DELETE FROM " + clients + " WHERE id % 7 = 0 AND id < 1500");
            shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'edge' WHERE id IN (100, 101, 2000)");
            shop.execute(Side.V2, "INSERT INTO " + clients + " (id, full_name, balance) VALUES (0, 'below', 0), (9999, 'past', 0)");
            shop.execute(Side.V1, "DELETE FROM " + customers + " WHERE id = 2500"); // a gap of v1: extra on v2
            shop.execute(Side.V1, "UPDATE " + customers + " SET email = '' WHERE id = 2700");
            shop.execute(Side.V2, "UPDATE " + clients + " SET email = NULL WHERE id = 2700");
            for (Equivalence eq : List.of(Equivalence.STRICT, new Equivalence(true))) {
                CompareOptions options = CompareOptions.defaults().withSampleLimit(5000).withChunks(100, 16).withEquivalence(eq);
                TableComparison pushdown = TableComparator.compare(mapping, v1, v2, options.withStrategy(Strategy.PUSHDOWN));
                TableComparison slow = TableComparator.compare(mapping, v1, v2, options.withStrategy(Strategy.SLOW));
                assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
                assertThat(pushdown.samples()).as("%s", eq).isEqualTo(slow.samples());
                assertThat(pushdown.missingOnV2()).isEqualTo(slow.missingOnV2()).isEqualTo(1499 / 7);
                assertThat(pushdown.extraOnV2()).isEqualTo(slow.extraOnV2()).isEqualTo(3);
                assertThat(pushdown.mismatched()).isEqualTo(slow.mismatched())
                        .isEqualTo(1499 / 3 - 1499 / 21 + 2 + 1 + (eq.nullEqualsEmpty() ? 0 : 1));
                assertThat(pushdown.matched()).isEqualTo(slow.matched());
                assertThat(pushdown.v1Rows()).isEqualTo(slow.v1Rows()).isEqualTo(2999);
                assertThat(pushdown.v2Rows()).isEqualTo(slow.v2Rows());
            }
        }
    }

    /** Long enough that the foreign write lands before the verifier's first look even on a busy machine. */
    private static final int VERIFY_DELAY_MS = 4000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldFindAForeignWriteOnTheTargetByContinuousVerificationAndShowItInStatus(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("everify", engines)) {
            Path yaml = shop.writeConfig(false, "");
            Files.writeString(yaml, Files.readString(yaml).replace("verify:\n  enabled: false\n",
                    "verify:\n  enabled: true\n  delay-ms: " + VERIFY_DELAY_MS + "\n"));
            BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
            String config = shop.withInlinePasswords(yaml).toString();
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                ContinuousVerifier verifier = bridge.verifier().orElseThrow();
                bridge.start();
                awaitStreaming(bridge);
                shop.insertCustomers(1, 30);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                        shop.count(Side.V2, "SELECT count(*) FROM " + clients) == 30);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'tampered' WHERE id = 7"); // no lane back
                await().atMost(Duration.ofSeconds(30)).until(() -> verifier.findings() >= 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> verifier.waiting() == 0);
                assertThat(verifier.findings()).isEqualTo(1);
                assertThat(verifier.newest().detail()).isEqualTo("mismatch at {id=7} in column(s) full_name");
                // every applied key was checked; the tampered one once more only when its first look came while the
                // lane could still be behind (timing), so 30 is the bound that always holds
                assertThat(verifier.checked()).as("keys checked").isGreaterThanOrEqualTo(30);

                Cli.Run status = Cli.run("status", "-c", config, "--format", "json", "--sample-seconds", "0");
                assertThat(status.exit()).as("%s", status).isZero();
                JsonNode v = status.json().get("verification");
                assertThat(v.get("findings").asLong()).as("%s", status).isEqualTo(1);
                assertThat(v.get("newest_finding").get("key").asText()).isEqualTo("{id=7}");
            }
        }
    }

    private static DataSource dataSource(EngineShop shop, Side side) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return shop.connect(side);
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return shop.connect(side);
            }

            @Override
            public java.io.PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(java.io.PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public java.util.logging.Logger getParentLogger() {
                return java.util.logging.Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
