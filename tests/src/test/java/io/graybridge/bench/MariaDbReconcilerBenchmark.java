package io.graybridge.bench;

import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.CompareOptions.Strategy;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The reconciler benchmark on MariaDB (issue 6, "MariaDB too once supported"): the shop's customers -> clients
 * mapping with both sides MariaDB databases on the machine's server, N rows per side (default 1,000,000,
 * {@code -Dgb.bench.rows}), at 0% and 0.1% drift: rows/s of {@code SELECT count(*)} on both sides, the pushdown
 * path (MD5 of a canonical text per row, summed per chunk) and the slow path, each with its peak heap. Not a
 * test (its name matches neither {@code *Test} nor {@code *IT}); the command is in README.md ("Benchmarks",
 * "Reconciler"). The report is printed and written to {@code tests/target/benchmark-reconciler-mariadb.txt}.
 */
class MariaDbReconcilerBenchmark {
    private final StringBuilder report = new StringBuilder();

    @Test
    void run() throws Exception {
        int rows = Integer.getInteger("gb.bench.rows", 1_000_000);
        try (EngineShop shop = EngineShop.create("mbench", new Engines(Engine.MARIADB, Engine.MARIADB))) {
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            long t0 = System.nanoTime();
            shop.execute(Side.V1, "INSERT INTO " + customers + " (id, name, email, balance_cents, status, created_at)"
                    + " SELECT seq, CONCAT('Customer ', seq), CONCAT('c', seq, '@example.com'), seq * 7,"
                    + " IF(seq % 3 = 0, 'I', 'A'), '2026-01-01' + INTERVAL seq SECOND FROM seq_1_to_" + rows);
            shop.execute(Side.V2, "INSERT INTO " + clients + " (id, full_name, email, balance, status, tier, created_at)"
                    + " SELECT id, name, email, balance_cents / 100, status, 'standard', created_at FROM " + customers);
            shop.execute(Side.V1, "ANALYZE TABLE " + customers);
            shop.execute(Side.V2, "ANALYZE TABLE " + clients);
            line("GrayBridge reconciler benchmark on MariaDB: customers -> clients (rename, cents-to-decimal, default),"
                    + " %,d rows per side, %s, %d cores, max heap %,d MB; seeded in %.1f s", rows,
                    shop.rows(Side.V1, "SELECT VERSION()").get(0), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - t0) / 1e9);
            TableMapping mapping = MappingFiles.load(RepoPaths.config().resolve("mappings/shop.yaml"), Map.of())
                    .named("customers").orElseThrow();
            SideTable v1 = new SideTable(dataSource(shop, Side.V1), shop.schema(Side.V1), "customers", List.of("id"));
            SideTable v2 = new SideTable(dataSource(shop, Side.V2), shop.schema(Side.V2), "clients", List.of("id"));
            CompareOptions warm = CompareOptions.defaults().withSampleLimit(0);
            TableComparator.compare(mapping, v1, v2, warm.withStrategy(Strategy.PUSHDOWN)); // warm-up, not reported
            line("");
            line("%-6s %-22s %10s %12s %14s %10s", "drift", "path", "seconds", "rows/s", "differences", "peak heap");
            for (String level : List.of("0%", "0.1%")) {
                if (!level.equals("0%")) {
                    // a third changed, a third missing on v2, a third extra on v2, spread over the key range
                    shop.execute(Side.V2, "UPDATE " + clients + " SET balance = balance + 1 WHERE id % 1000 = 1");
                    shop.execute(Side.V2, "DELETE FROM " + clients + " WHERE id % 1000 = 2");
                    shop.execute(Side.V2, "INSERT INTO " + clients + " (id, full_name, balance) SELECT id + " + rows
                            + ", 'extra', 0 FROM " + customers + " WHERE id % 1000 = 3");
                }
                measure(level, "count(*) both sides", rows, () -> new long[] {
                    shop.count(Side.V1, "SELECT count(*) FROM " + customers) + shop.count(Side.V2, "SELECT count(*) FROM " + clients),
                    -1});
                measure(level, "pushdown", rows, () -> differences(TableComparator.compare(mapping, v1, v2,
                        warm.withStrategy(Strategy.PUSHDOWN))));
                measure(level, "slow (merge join)", rows, () -> differences(TableComparator.compare(mapping, v1, v2,
                        warm.withStrategy(Strategy.SLOW))));
            }
            line("");
            line("rows/s = v1 rows / seconds. peak heap = most heap in use while the path ran, sampled every 5 ms after a"
                    + " full GC.");
        } finally {
            Path out = RepoPaths.root().resolve("tests/target/benchmark-reconciler-mariadb.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    private static long[] differences(TableComparison r) {
        return new long[] {0, r.missingOnV2() + r.extraOnV2() + r.mismatched()};
    }

    private void measure(String level, String path, int rows, Supplier<long[]> work) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        long[] result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        line("%-6s %-22s %10.2f %12s %14s %7d MB", level, path, seconds, String.format(Locale.ROOT, "%,.0f", rows / seconds),
                result[1] < 0 ? "-" : String.format(Locale.ROOT, "%,d", result[1]), peak.get() >> 20);
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }

    /** Connections of {@code shop}'s side, for the reconciler. */
    private static DataSource dataSource(EngineShop shop, Side side) {
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return shop.connect(side);
                    }
                    if (method.getName().equals("toString")) {
                        return "EngineShop " + side;
                    }
                    throw new SQLException("not supported: " + method.getName());
                });
    }
}
