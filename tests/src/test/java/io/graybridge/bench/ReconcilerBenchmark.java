package io.graybridge.bench;

import io.graybridge.it.support.PgServer;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.TestDatabases;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.CompareOptions.Strategy;
import io.graybridge.reconcile.Equivalence;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The reconciler benchmark (issue 6): the example shop's customers -> clients mapping (rename,
 * cents-to-decimal, default), N rows on each side, at 0%, 0.1% and 1% drift; rows/s of the pushdown path,
 * the slow path, {@code SELECT count(*)} on both sides and a naive full download-and-compare, and the peak
 * heap of each. Not a test: its name matches neither {@code *Test} nor {@code *IT}, so {@code mvn verify}
 * never runs it. Run it with the command in README.md ("Benchmarks", "Reconciler"); {@code -Dgb.bench.rows}
 * sets N (default 1,000,000). The report is printed and written to {@code tests/target/benchmark-reconciler.txt}.
 */
class ReconcilerBenchmark {
    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        int rows = Integer.getInteger("gb.bench.rows", 1_000_000);
        boolean naive = !"false".equals(System.getProperty("gb.bench.naive"));
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase("bench");
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(pg.jdbcUrl(db));
            ds.setUser(pg.user());
            ds.setPassword(pg.password());
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(Files.readString(RepoPaths.config().resolve("demo/v1.sql")));
                s.execute(Files.readString(RepoPaths.config().resolve("demo/v2.sql")));
                s.execute("INSERT INTO shop_v1.customers (id, name, email, balance_cents, status, created_at)"
                        + " SELECT g, 'Customer ' || g, 'c' || g || '@example.com', g * 7, CASE WHEN g % 3 = 0 THEN 'I' ELSE 'A' END,"
                        + " timestamp '2026-01-01' + g * interval '1 second' FROM generate_series(1, " + rows + ") g");
                s.execute("INSERT INTO shop_v2.clients (id, full_name, email, balance, status, tier, created_at)"
                        + " SELECT id, name, email, balance_cents / 100.0, status, 'standard', created_at FROM shop_v1.customers");
                s.execute("VACUUM ANALYZE shop_v1.customers");
                s.execute("VACUUM ANALYZE shop_v2.clients");
            }
            line("GrayBridge reconciler benchmark: shop_v1.customers -> shop_v2.clients (rename, cents-to-decimal,"
                    + " default), %,d rows per side, PostgreSQL %s, %d cores, max heap %,d MB; seeded in %.1f s",
                    rows, version(ds), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - t0) / 1e9);
            TableMapping mapping = MappingFiles.load(RepoPaths.config().resolve("mappings/shop.yaml"), Map.of())
                    .named("customers").orElseThrow();
            SideTable v1 = new SideTable(ds, "shop_v1", "customers", List.of("id"));
            SideTable v2 = new SideTable(ds, "shop_v2", "clients", List.of("id"));
            // warm-up (JIT, caches), not reported
            TableComparator.compare(mapping, v1, v2, CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN));
            TableComparator.compare(mapping, v1, v2, CompareOptions.defaults().withStrategy(Strategy.SLOW));
            line("");
            line("%-6s %-22s %10s %12s %14s %10s  %s", "drift", "path", "seconds", "rows/s", "differences", "peak heap", "");
            for (String level : List.of("0%", "0.1%", "1%")) {
                if (!level.equals("0%")) {
                    int every = level.equals("0.1%") ? 1000 : 100;
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        // a third changed, a third missing on v2, a third extra on v2, spread over the whole key range
                        s.execute("UPDATE shop_v2.clients SET balance = balance + 1 WHERE id % " + every + " = 1");
                        s.execute("DELETE FROM shop_v2.clients WHERE id % " + every + " = 2");
                        s.execute("INSERT INTO shop_v2.clients (id, full_name, balance) SELECT id + " + rows
                                + ", 'extra', 0 FROM shop_v1.customers WHERE id % " + every + " = 3 ON CONFLICT DO NOTHING");
                        s.execute("VACUUM ANALYZE shop_v2.clients");
                    }
                }
                measure(level, "count(*) both sides", rows, () -> new long[] {countBoth(ds), -1});
                measure(level, "pushdown", rows, () -> PathRun.differences(TableComparator.compare(mapping, v1, v2,
                        CompareOptions.defaults().withStrategy(Strategy.PUSHDOWN).withSampleLimit(0))));
                measure(level, "slow (merge join)", rows, () -> PathRun.differences(TableComparator.compare(mapping, v1, v2,
                        CompareOptions.defaults().withStrategy(Strategy.SLOW).withSampleLimit(0))));
                if (naive) {
                    measure(level, "naive download+compare", rows, () -> new long[] {0, naive(ds, mapping)});
                }
            }
            line("");
            line("rows/s = v1 rows / seconds. peak heap = most heap in use while the path ran, sampled every 5 ms after a"
                    + " full GC (garbage not yet collected counts too).");
        } finally {
            pg.dropDatabase(db);
            Path out = RepoPaths.root().resolve("tests/target/benchmark-reconciler.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    private void measure(String level, String path, int rows, Supplier<long[]> work) {
        line("%s", PathRun.measure(work).line(level, path, rows));
    }

    /**
     * count(*) of both sides at once, each on its own connection, as the pushdown reads both sides at once: the
     * baseline is what the database needs to read both tables, not the two reads one after the other.
     */
    private static long countBoth(PGSimpleDataSource ds) {
        java.util.concurrent.CompletableFuture<Long> v2 =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> count(ds, "shop_v2.clients"));
        return count(ds, "shop_v1.customers") + v2.join();
    }

    private static long count(PGSimpleDataSource ds, String table) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Downloads both tables into hash maps and compares them: what the reconciler avoids. */
    private static long naive(PGSimpleDataSource ds, TableMapping mapping) {
        Map<Object, Row> v1 = download(ds, "SELECT * FROM shop_v1.customers");
        Map<Object, Row> v2 = download(ds, "SELECT * FROM shop_v2.clients");
        long differences = 0;
        Equivalence eq = Equivalence.STRICT;
        for (Map.Entry<Object, Row> e : v1.entrySet()) {
            Row want = mapping.translate(Direction.FORWARD, e.getValue());
            Row have = v2.remove(e.getKey());
            if (have == null) {
                differences++;
                continue;
            }
            for (String c : want.columns()) {
                if (!eq.same(want.get(c), have.get(c))) {
                    differences++;
                    break;
                }
            }
        }
        return differences + v2.size();
    }

    private static Map<Object, Row> download(PGSimpleDataSource ds, String sql) {
        Map<Object, Row> out = new HashMap<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            values.put(md.getColumnName(i), v instanceof java.sql.Timestamp t ? t.toLocalDateTime() : v);
                        }
                        out.put(rs.getObject(1), Row.of(values));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static String version(PGSimpleDataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        }
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        report.append(text).append('\n');
    }
}
