package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.guard.TransactionMarker;
import io.graybridge.it.support.DriftFixture;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.reconcile.ComparePath;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.CompareOptions.Strategy;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.Equivalence;
import io.graybridge.reconcile.ProgressListener;
import io.graybridge.reconcile.Repairer;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler against a real PostgreSQL: planted drift of each kind, both paths, repair. */
class ReconcilerIT {
    private ShopFixture shop;
    private TableMapping customers;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("recon");
        DriftFixture.seed(shop, 3000);
        BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(""), shop.env());
        customers = cfg.mappings().named("customers").orElseThrow();
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private TableComparison compare(Strategy strategy, Equivalence eq) {
        return TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"),
                CompareOptions.defaults().withStrategy(strategy).withSampleLimit(100).withChunks(500, 16).withEquivalence(eq));
    }

    /** Missing, extra, changed column, changed key, NULL vs '' (plus differences that are not drift). */
    private void plantDrift() {
        shop.execute("DELETE FROM shop_v2.clients WHERE id = 10");
        shop.execute("INSERT INTO shop_v2.clients (id, full_name, balance) VALUES (999999, 'ghost', 0)");
        shop.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id = 2000");
        shop.execute("UPDATE shop_v2.clients SET id = 500000 WHERE id = 30");
        shop.execute("UPDATE shop_v1.customers SET email = '' WHERE id = 40");
        shop.execute("UPDATE shop_v2.clients SET email = NULL WHERE id = 40");
        // not drift: the same amount with another scale
        shop.execute("ALTER TABLE shop_v2.clients ALTER COLUMN balance TYPE numeric(14,4)");
    }

    @Test
    void shouldReportZeroOnACleanPairOnBothPaths() {
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = compare(s, Equivalence.STRICT);
            assertThat(r.clean()).as(s + ": " + r.samples()).isTrue();
            assertThat(r.v1Rows()).isEqualTo(3000);
            assertThat(r.v2Rows()).isEqualTo(3000);
            assertThat(r.matched()).isEqualTo(3000);
        }
        assertThat(compare(Strategy.AUTO, Equivalence.STRICT).path()).isEqualTo(ComparePath.PUSHDOWN);
    }

    @Test
    void shouldFindEachPlantedDriftExactlyAndBothPathsAgree() {
        plantDrift();
        TableComparison pushdown = compare(Strategy.PUSHDOWN, Equivalence.STRICT);
        TableComparison slow = compare(Strategy.SLOW, Equivalence.STRICT);
        for (TableComparison r : List.of(pushdown, slow)) {
            assertThat(r.missingOnV2()).as(r.path() + " " + r.samples()).isEqualTo(2);
            assertThat(r.extraOnV2()).isEqualTo(2);
            assertThat(r.mismatched()).isEqualTo(2);
            assertThat(r.mismatchedColumns()).isEqualTo(Map.of("balance", 1L, "email", 1L));
            assertThat(r.matched()).isEqualTo(3000 - 4);
            assertThat(r.v1Rows()).isEqualTo(3000);
            assertThat(r.v2Rows()).isEqualTo(3000);
        }
        assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
        assertThat(slow.path()).isEqualTo(ComparePath.SLOW);
        assertThat(pushdown.samples()).isEqualTo(slow.samples());
        assertThat(slow.samples()).containsExactly(
                "missing on v2: {id=10}",
                "missing on v2: {id=30}",
                "mismatch at {id=40}: email v1->v2 '' vs v2 NULL",
                "mismatch at {id=2000}: balance v1->v2 140.00 vs v2 141.0000",
                "extra on v2: {id=500000}",
                "extra on v2: {id=999999}");
    }

    @Test
    void shouldAgreeOnBothPathsWhenDifferencesAreDense() {
        shop.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id % 3 = 0 AND id < 2500");
        shop.execute("DELETE FROM shop_v2.clients WHERE id % 7 = 0 AND id < 2500");
        TableComparison pushdown = TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"),
                CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withSampleLimit(5000).withChunks(100, 16));
        TableComparison slow = compare(Strategy.SLOW, Equivalence.STRICT);
        assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
        assertThat(pushdown.missingOnV2()).isEqualTo(slow.missingOnV2()).isEqualTo(2499 / 7);
        assertThat(pushdown.mismatched()).isEqualTo(slow.mismatched()).isEqualTo(2499 / 3 - 2499 / 21);
        assertThat(pushdown.matched()).isEqualTo(slow.matched());
        assertThat(pushdown.v2Rows()).isEqualTo(slow.v2Rows());
        assertThat(pushdown.differences()).extracting(Difference::describe)
                .isEqualTo(TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                        DriftFixture.side(shop, "shop_v2", "clients"), CompareOptions.defaults()
                                .withStrategy(Strategy.SLOW).withSampleLimit(5000)).samples());
    }

    /**
     * Drift in most chunks: pushdown checksums a first slice of ten chunks, finds most of them differ, and
     * compares them and the next 90 chunks by the merge join, then checksums ten chunks again and runs 180
     * (chunks of 10 rows: 300 chunks, so the first run stops inside the table, at key 1000, with v2's 1002
     * read and left for the next). v1 lacks keys 1201 to 1299 that v2 keeps; NULL vs '' and numeric scale are
     * compared as configured. Same answer as the slow path, difference for difference, in the same order.
     */
    @Test
    void shouldAgreeWithTheSlowPathWhenMostChunksDiffer() {
        shop.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id % 5 = 0");
        shop.execute("DELETE FROM shop_v2.clients WHERE id % 7 = 0");
        shop.execute("INSERT INTO shop_v2.clients (id, full_name, balance) SELECT g, 'extra', 0 FROM generate_series(3001, 3100) g");
        shop.execute("DELETE FROM shop_v1.customers WHERE id > 1200 AND id < 1300");
        shop.execute("UPDATE shop_v1.customers SET email = '' WHERE id % 11 = 0");
        shop.execute("UPDATE shop_v2.clients SET email = NULL WHERE id % 11 = 0");
        shop.execute("ALTER TABLE shop_v2.clients ALTER COLUMN balance TYPE numeric(14,4)");
        for (Equivalence eq : List.of(Equivalence.STRICT, new Equivalence(true))) {
            CompareOptions options = CompareOptions.defaults().withSampleLimit(10_000).withChunks(10, 4).withEquivalence(eq);
            TableComparison pushdown = TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                    DriftFixture.side(shop, "shop_v2", "clients"), options.withStrategy(Strategy.PUSHDOWN));
            TableComparison slow = TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                    DriftFixture.side(shop, "shop_v2", "clients"), options.withStrategy(Strategy.SLOW));

            assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
            assertThat(slow.extraOnV2()).as(eq.toString()).isEqualTo(99 - 99 / 7 + 100);
            assertThat(pushdown.samples()).as(eq.toString()).isEqualTo(slow.samples());
            assertThat(pushdown.missingOnV2()).isEqualTo(slow.missingOnV2());
            assertThat(pushdown.mismatched()).isEqualTo(slow.mismatched());
            assertThat(pushdown.mismatchedColumns()).isEqualTo(slow.mismatchedColumns());
            assertThat(pushdown.matched()).isEqualTo(slow.matched());
            assertThat(pushdown.v1Rows()).isEqualTo(slow.v1Rows()).isEqualTo(3000 - 99);
            assertThat(pushdown.v2Rows()).isEqualTo(slow.v2Rows());
        }
    }

    /**
     * Chunks of 10 rows make 300 chunks, two slices of pushdown's one-pass checksums (10 chunks, then the
     * rest); drift sits on chunk ends (10; 100, the first slice's end; 1000), right after them (101, 1001),
     * below v1's first key, in a gap of v1's keys and past its last.
     */
    @Test
    void shouldFindDriftAtChunkAndSliceBoundariesLikeTheSlowPath() {
        shop.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id IN (10, 100, 1000)");
        shop.execute("DELETE FROM shop_v2.clients WHERE id IN (101, 1001, 2000)");
        shop.execute("INSERT INTO shop_v2.clients (id, full_name, balance) VALUES (0, 'below', 0), (5000, 'past', 0)");
        shop.execute("DELETE FROM shop_v1.customers WHERE id = 1500"); // v2 keeps it: a gap of v1
        CompareOptions options = CompareOptions.defaults().withSampleLimit(100).withChunks(10, 4);
        TableComparison pushdown = TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"), options.withStrategy(Strategy.PUSHDOWN));
        TableComparison slow = TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"), options.withStrategy(Strategy.SLOW));

        assertThat(pushdown.path()).isEqualTo(ComparePath.PUSHDOWN);
        assertThat(slow.samples()).containsExactly(
                "extra on v2: {id=0}",
                "mismatch at {id=10}: balance v1->v2 0.70 vs v2 1.70",
                "mismatch at {id=100}: balance v1->v2 7.00 vs v2 8.00",
                "missing on v2: {id=101}",
                "mismatch at {id=1000}: balance v1->v2 70.00 vs v2 71.00",
                "missing on v2: {id=1001}",
                "extra on v2: {id=1500}",
                "missing on v2: {id=2000}",
                "extra on v2: {id=5000}");
        assertThat(pushdown.samples()).isEqualTo(slow.samples());
        assertThat(pushdown.matched()).isEqualTo(slow.matched()).isEqualTo(2999 - 6);
        assertThat(pushdown.v1Rows()).isEqualTo(slow.v1Rows()).isEqualTo(2999);
        assertThat(pushdown.v2Rows()).isEqualTo(slow.v2Rows()).isEqualTo(2999);
    }

    @Test
    void shouldTreatNullAsEmptyWhenConfiguredOnBothPaths() {
        plantDrift();
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = compare(s, new Equivalence(true));
            assertThat(r.mismatched()).as(s.name()).isEqualTo(1);
            assertThat(r.mismatchedColumns()).isEqualTo(Map.of("balance", 1L));
        }
    }

    @Test
    void shouldOrderTextKeysTheSameOnBothSidesAndPathsAgree() {
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("CREATE TABLE " + schema + ".words (w text PRIMARY KEY, n int, c char(4), t timestamptz, f float8)");
            shop.execute("INSERT INTO " + schema + ".words SELECT w, length(w), 'ab', timestamptz '2026-01-01 10:00+00', 0.5"
                    + " FROM unnest(ARRAY['a', 'B', 'b', 'é', 'Z', 'aa', 'a b', '😀', '\uFFFD', 'zz']) w");
        }
        shop.execute("UPDATE shop_v2.words SET t = timestamptz '2026-01-01 12:00+02', f = -0.0 WHERE w = 'a'"); // same instant
        shop.execute("UPDATE shop_v1.words SET f = 0.0 WHERE w = 'a'");
        shop.execute("UPDATE shop_v2.words SET f = 0.0 WHERE w = 'b'");
        shop.execute("UPDATE shop_v1.words SET f = -0.0 WHERE w = 'b'");
        shop.execute("UPDATE shop_v2.words SET n = 99 WHERE w = 'é'");
        shop.execute("DELETE FROM shop_v2.words WHERE w = 'Z'");
        shop.execute("INSERT INTO shop_v2.words VALUES ('ß', 1, 'x', now(), 1)");
        TableMapping words = MappingFiles.identity("words");
        SideTable v1 = new SideTable(DriftFixture.dataSource(shop), "shop_v1", "words", List.of("w"));
        SideTable v2 = new SideTable(DriftFixture.dataSource(shop), "shop_v2", "words", List.of("w"));
        List<List<String>> answers = new ArrayList<>();
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = TableComparator.compare(words, v1, v2,
                    CompareOptions.defaults().withStrategy(s).withChunks(3, 1));
            assertThat(r.missingOnV2()).as(s + " " + r.samples()).isEqualTo(1);
            assertThat(r.extraOnV2()).isEqualTo(1);
            assertThat(r.mismatched()).isEqualTo(1);
            answers.add(r.samples());
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
    }

    /** Pushdown's steps as its progress listener hears them. */
    private static final class Phases implements ProgressListener {
        final List<ProgressListener.Phase> seen = new ArrayList<>();

        @Override
        public void onProgress(long rows, ComparePath path) {}

        @Override
        public void onPhase(ProgressListener.Phase phase) {
            seen.add(phase);
        }
    }

    private TableComparison pushdownHeard(Phases phases) {
        return TableComparator.compare(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"), CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN)
                        .withSampleLimit(100).withChunks(100, 16).withProgress(phases));
    }

    /**
     * Chunks of 100: the first chunk is keys 1 to 100. Clean: its sums are equal, then one checksum of the
     * whole table per side settles it. One difference after the first chunk: the whole table's checksums
     * differ, the chunk step runs and finds exactly it. One more in the first chunk: no whole-table check
     * (drift seen in the probe skips it), both found.
     */
    @Test
    void shouldSettleACleanTableByOneChecksumOfTheRestAndFindPlantedDifferences() {
        Phases clean = new Phases();
        TableComparison r = pushdownHeard(clean);
        assertThat(r.clean()).as(r.samples().toString()).isTrue();
        assertThat(r.matched()).isEqualTo(3000);
        assertThat(r.v1Rows()).isEqualTo(3000);
        assertThat(r.v2Rows()).isEqualTo(3000);
        assertThat(clean.seen).containsExactly(ProgressListener.Phase.WHOLE_RANGE);

        shop.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id = 1234");
        Phases drift = new Phases();
        TableComparison d = pushdownHeard(drift);
        assertThat(drift.seen).containsExactly(ProgressListener.Phase.WHOLE_RANGE, ProgressListener.Phase.CHUNKS);
        assertThat(d.samples()).hasSize(1).first().asString().startsWith("mismatch at {id=1234}: balance");
        assertThat(d.mismatched()).isEqualTo(1);
        assertThat(d.missingOnV2() + d.extraOnV2()).isZero();
        assertThat(d.matched()).isEqualTo(2999);
        assertThat(d.v1Rows()).isEqualTo(3000);
        assertThat(d.v2Rows()).isEqualTo(3000);

        shop.execute("DELETE FROM shop_v2.clients WHERE id = 50");
        Phases early = new Phases();
        TableComparison e = pushdownHeard(early);
        assertThat(early.seen).containsExactly(ProgressListener.Phase.CHUNKS);
        assertThat(e.samples()).hasSize(2);
        assertThat(e.samples().get(0)).isEqualTo("missing on v2: {id=50}");
        assertThat(e.samples().get(1)).startsWith("mismatch at {id=1234}: balance");
        assertThat(e.matched()).isEqualTo(2998);
    }

    /** A composite key is walked chunk by chunk: the whole table's checksums first, chunks only when they differ. */
    @Test
    void shouldCheckACompositeKeyTableWholeFirst() {
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("CREATE TABLE " + schema + ".pairs (a int, b int, v text, PRIMARY KEY (a, b))");
            shop.execute("INSERT INTO " + schema + ".pairs SELECT i / 10, i % 10, 'v' || i FROM generate_series(0, 499) i");
        }
        TableMapping pairs = MappingFiles.identity("pairs");
        SideTable v1 = new SideTable(DriftFixture.dataSource(shop), "shop_v1", "pairs", List.of("a", "b"));
        SideTable v2 = new SideTable(DriftFixture.dataSource(shop), "shop_v2", "pairs", List.of("a", "b"));
        Phases clean = new Phases();
        TableComparison r = TableComparator.compare(pairs, v1, v2,
                CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withChunks(50, 5).withProgress(clean));
        assertThat(r.clean()).as(r.samples().toString()).isTrue();
        assertThat(r.matched()).isEqualTo(500);
        assertThat(clean.seen).containsExactly(ProgressListener.Phase.WHOLE_RANGE);

        shop.execute("UPDATE shop_v2.pairs SET v = 'changed' WHERE a = 31 AND b = 4");
        Phases drift = new Phases();
        TableComparison d = TableComparator.compare(pairs, v1, v2,
                CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withChunks(50, 5).withProgress(drift));
        assertThat(drift.seen).containsExactly(ProgressListener.Phase.WHOLE_RANGE, ProgressListener.Phase.CHUNKS);
        assertThat(d.mismatched()).isEqualTo(1);
        assertThat(d.missingOnV2() + d.extraOnV2()).isZero();
        assertThat(d.samples()).hasSize(1).first().asString().startsWith("mismatch at {a=31").contains("b=4")
                .endsWith("v v1->v2 'v314' vs v2 'changed'");
        assertThat(d.matched()).isEqualTo(499);
    }

    /**
     * {@code char(n)} is hashed as it is on one side ({@code hashbpcharextended}, padding ignored) and text by
     * {@code hashtextextended} on the other: equal values must give equal checksums (so the first chunk's and the
     * whole table's checks settle the table), and differences (text with trailing blanks against a padded char) the slow path's answer.
     */
    @Test
    void shouldHashCharWithItsPaddingLikeTheSameText() {
        shop.execute("CREATE TABLE shop_v1.pads (id int PRIMARY KEY, c char(6), t text)");
        shop.execute("CREATE TABLE shop_v2.pads (id int PRIMARY KEY, c text, t char(6))");
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("INSERT INTO " + schema + ".pads SELECT id, v, CASE WHEN id % 5 = 0 THEN 'x' ELSE v END FROM"
                    + " (SELECT id, (ARRAY['é', 'ab', '', NULL, ' a b'])[id % 5 + 1] AS v FROM generate_series(1, 30) id) s");
        }
        TableMapping pads = MappingFiles.identity("pads");
        SideTable v1 = new SideTable(DriftFixture.dataSource(shop), "shop_v1", "pads", List.of("id"));
        SideTable v2 = new SideTable(DriftFixture.dataSource(shop), "shop_v2", "pads", List.of("id"));
        Phases phases = new Phases();
        TableComparison clean = TableComparator.compare(pads, v1, v2,
                CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withChunks(1, 1).withProgress(phases));
        assertThat(clean.clean()).as(clean.samples().toString()).isTrue();
        assertThat(clean.matched()).isEqualTo(30);
        assertThat(phases.seen).as("equal char(n) and text values hash alike")
                .containsExactly(ProgressListener.Phase.WHOLE_RANGE);

        shop.execute("UPDATE shop_v1.pads SET t = 'ab  ' WHERE id = 1"); // text with trailing blanks: not the char 'ab'
        shop.execute("UPDATE shop_v2.pads SET c = 'é ' WHERE id = 25");
        shop.execute("UPDATE shop_v2.pads SET t = NULL WHERE id = 12"); // NULL against a blank char: differs (strict)
        List<List<String>> answers = new ArrayList<>();
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = TableComparator.compare(pads, v1, v2,
                    CompareOptions.defaults().withStrategy(s).withChunks(2, 1));
            assertThat(r.mismatched()).as(s + " " + r.samples()).isEqualTo(3);
            assertThat(r.matched()).isEqualTo(27);
            answers.add(r.samples());
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
    }

    /**
     * Cents into {@code numeric(12,2)} are compared as integer cents inside the database; into an unconstrained
     * {@code numeric} as numbers. Both must see a flipped sign ({@code hash_numeric_extended} ignores it), amounts
     * of 2^32 cents and more ({@code hashint8extended} folds its value argument to 32 bits: 2^32 + 1 and 0, -1 and
     * 2^32 - 1 fold alike), and a third decimal place, and call {@code -0.00} and {@code 0.910} equal to 0 and 91
     * cents, as the slow path does.
     */
    @Test
    void shouldFindCentsDriftBySignScaleAndLargeAmountsOnBothPaths() {
        shop.execute("UPDATE shop_v2.clients SET balance = -balance WHERE id = 7");
        shop.execute("UPDATE shop_v1.customers SET balance_cents = 0 WHERE id = 8");
        shop.execute("UPDATE shop_v2.clients SET balance = -0.00 WHERE id = 8"); // not drift
        shop.execute("UPDATE shop_v1.customers SET balance_cents = 4294967297 WHERE id = 9");
        shop.execute("UPDATE shop_v2.clients SET balance = 0 WHERE id = 9");
        shop.execute("UPDATE shop_v1.customers SET balance_cents = -1 WHERE id = 11");
        shop.execute("UPDATE shop_v2.clients SET balance = 42949672.95 WHERE id = 11");
        // numeric(18,2) still goes as integer cents: its largest value times 100 is a bigint
        shop.execute("ALTER TABLE shop_v2.clients ALTER COLUMN balance TYPE numeric(18,2)");
        shop.execute("UPDATE shop_v1.customers SET balance_cents = -999999999999999999 WHERE id = 15"); // not drift
        shop.execute("UPDATE shop_v2.clients SET balance = -9999999999999999.99 WHERE id = 15");
        bothPathsFind(List.of(7L, 9L, 11L));

        shop.execute("ALTER TABLE shop_v2.clients ALTER COLUMN balance TYPE numeric");
        shop.execute("UPDATE shop_v2.clients SET balance = 0.841 WHERE id = 12"); // 84 cents on v1: drift
        shop.execute("UPDATE shop_v2.clients SET balance = 0.910 WHERE id = 13"); // 91 cents on v1: not drift
        shop.execute("UPDATE shop_v2.clients SET balance = -balance WHERE id = 14");
        bothPathsFind(List.of(7L, 9L, 11L, 12L, 14L));
    }

    /** NaN fits {@code numeric(12,2)} but no cents translate to it: pushdown names the column, the slow path fails too. */
    @Test
    void shouldNameTheColumnWhenIntegerCentsMeetNaN() {
        shop.execute("UPDATE shop_v2.clients SET balance = 'NaN' WHERE id = 20");
        assertThatThrownBy(() -> compare(Strategy.PUSHDOWN, Equivalence.STRICT))
                .hasMessageContaining("v2 column shop_v2.clients.balance holds NaN")
                .hasMessageContaining("WHERE \"balance\" = 'NaN'");
        assertThatThrownBy(() -> compare(Strategy.SLOW, Equivalence.STRICT)).hasMessageContaining("NaN");
    }

    /** Both paths find exactly {@code ids} mismatched in balance, and nothing else. */
    private void bothPathsFind(List<Long> ids) {
        List<List<String>> answers = new ArrayList<>();
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = compare(s, Equivalence.STRICT);
            assertThat(r.path()).isEqualTo(s == Strategy.PUSHDOWN ? ComparePath.PUSHDOWN : ComparePath.SLOW);
            assertThat(r.mismatched()).as(s + " " + r.samples()).isEqualTo(ids.size());
            assertThat(r.missingOnV2() + r.extraOnV2()).isZero();
            assertThat(r.matched()).isEqualTo(3000 - ids.size());
            assertThat(r.samples()).allSatisfy(line -> assertThat(line).contains(": balance"));
            assertThat(r.samples().stream().map(line -> line.replaceAll("^mismatch at \\{id=(\\d+)}.*", "$1"))
                    .map(Long::valueOf).toList()).isEqualTo(ids);
            answers.add(r.samples());
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
    }

    /**
     * Pass-through columns that may be NULL: equal values (NULLs, {@code 2.50} and {@code 2.5}, {@code -0.0} and
     * {@code 0}) hash alike, so a clean table is settled by the whole-table check; a flipped decimal sign, two
     * integers that {@code hashint8extended} folds alike, and NULL against 0 or {@code ''} are found by pushdown as
     * by the slow path.
     */
    @Test
    void shouldTellSignsFoldedIntegersAndNullsApartOnBothPaths() {
        for (String schema : List.of("shop_v1", "shop_v2")) {
            shop.execute("CREATE TABLE " + schema + ".nums (id bigint PRIMARY KEY, d numeric, n bigint, f float8, t text)");
            shop.execute("INSERT INTO " + schema + ".nums SELECT i, i * 1.5, i, i * 0.25, 't' || i FROM generate_series(1, 40) i");
            shop.execute("UPDATE " + schema + ".nums SET d = NULL, n = NULL, f = NULL, t = NULL WHERE id = 40");
        }
        shop.execute("UPDATE shop_v1.nums SET d = 2.50, f = -0.0 WHERE id = 39");
        shop.execute("UPDATE shop_v2.nums SET d = 2.5, f = 0 WHERE id = 39");
        TableMapping nums = MappingFiles.identity("nums");
        SideTable v1 = new SideTable(DriftFixture.dataSource(shop), "shop_v1", "nums", List.of("id"));
        SideTable v2 = new SideTable(DriftFixture.dataSource(shop), "shop_v2", "nums", List.of("id"));
        Phases phases = new Phases();
        TableComparison clean = TableComparator.compare(nums, v1, v2,
                CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withChunks(2, 1).withProgress(phases));
        assertThat(clean.clean()).as(clean.samples().toString()).isTrue();
        assertThat(phases.seen).as("equal values hash alike").containsExactly(ProgressListener.Phase.WHOLE_RANGE);

        // each alone in its chunk of 2 rows, three of the ten chunks of each slice: a chunk is read only when its
        // checksums differ
        shop.execute("UPDATE shop_v2.nums SET d = -d WHERE id = 1");
        shop.execute("UPDATE shop_v1.nums SET n = -1 WHERE id = 7");
        shop.execute("UPDATE shop_v2.nums SET n = 4294967295 WHERE id = 7");
        shop.execute("UPDATE shop_v1.nums SET d = NULL WHERE id = 13");
        shop.execute("UPDATE shop_v2.nums SET d = 0 WHERE id = 13");
        shop.execute("UPDATE shop_v1.nums SET n = NULL WHERE id = 25");
        shop.execute("UPDATE shop_v2.nums SET n = 0 WHERE id = 25");
        shop.execute("UPDATE shop_v1.nums SET f = NULL WHERE id = 31");
        shop.execute("UPDATE shop_v2.nums SET f = 0 WHERE id = 31");
        shop.execute("UPDATE shop_v1.nums SET t = NULL WHERE id = 37");
        shop.execute("UPDATE shop_v2.nums SET t = '' WHERE id = 37");
        List<List<String>> answers = new ArrayList<>();
        for (Strategy s : List.of(Strategy.PUSHDOWN, Strategy.SLOW)) {
            TableComparison r = TableComparator.compare(nums, v1, v2,
                    CompareOptions.defaults().withStrategy(s).withChunks(2, 1));
            assertThat(r.mismatched()).as(s + " " + r.samples()).isEqualTo(6);
            assertThat(r.matched()).isEqualTo(34);
            answers.add(r.samples());
        }
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
    }

    @Test
    void shouldRecheckOnlyTheGivenKeys() {
        plantDrift();
        TableComparison r = TableComparator.recheck(customers, DriftFixture.side(shop, "shop_v1", "customers"),
                DriftFixture.side(shop, "shop_v2", "clients"), List.of(List.of(10L), List.of(11L), List.of(999999L)),
                CompareOptions.defaults());
        assertThat(r.missingOnV2()).isEqualTo(1);
        assertThat(r.extraOnV2()).isEqualTo(1);
        assertThat(r.matched()).isEqualTo(1);
    }

    @Test
    void shouldRepairFromEitherSideAndThenReportZero() {
        for (Side from : List.of(Side.V1, Side.V2)) {
            plantDriftOnce();
            List<Repairer.Change> changes = new ArrayList<>();
            SideTable v1 = DriftFixture.side(shop, "shop_v1", "customers");
            SideTable v2 = DriftFixture.side(shop, "shop_v2", "clients");
            try (Repairer repairer = new Repairer(customers, v1, v2, from, false,
                    c -> TransactionMarker.mark(c, Dialect.POSTGRESQL, "it", "repair"), changes::add, Equivalence.STRICT)) {
                TableComparator.compare(customers, v1, v2, CompareOptions.defaults().withChunks(500, 16).withListener(repairer));
                assertThat(repairer.inserted() + repairer.updated() + repairer.deleted()).as(from.id()).isEqualTo(6);
            }
            TableComparison after = compare(Strategy.AUTO, Equivalence.STRICT);
            assertThat(after.clean()).as(from.id() + ": " + after.samples()).isTrue();
            assertThat(changes).extracting(Repairer.Change::table).allMatch(t -> t.startsWith(from == Side.V1 ? "shop_v2" : "shop_v1"));
        }
    }

    private boolean planted;

    private void plantDriftOnce() {
        if (!planted) {
            plantDrift();
            planted = true;
        } else {
            shop.execute("DELETE FROM shop_v2.clients WHERE id = 11");
            shop.execute("UPDATE shop_v2.clients SET full_name = 'changed' WHERE id = 12");
            shop.execute("INSERT INTO shop_v2.clients (id, full_name, balance) VALUES (888888, 'ghost', 0)");
            shop.execute("UPDATE shop_v2.clients SET id = 600000 WHERE id = 13");
            shop.execute("UPDATE shop_v2.clients SET email = '' WHERE id = 14");
        }
    }

    @Test
    void shouldListDifferencesWithBothRows() {
        plantDrift();
        TableComparison r = compare(Strategy.PUSHDOWN, Equivalence.STRICT);
        Difference d = r.differences().stream().filter(x -> x.kind() == Difference.Kind.MISMATCHED).findFirst().orElseThrow();
        assertThat(d.v1Row().get("email")).isEqualTo("");
        assertThat(d.v2Row().get("email")).isNull();
        assertThat(d.columns()).containsExactly("email");
    }
}
