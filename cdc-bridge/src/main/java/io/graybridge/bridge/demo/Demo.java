package io.graybridge.bridge.demo;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lane.LaneStats;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparison;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.audit.AuditText;
import io.graybridge.bridge.audit.Outbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * {@code graybridge demo}: the whole story of a gray release on a machine with only Java, told as a short
 * walkthrough. An embedded PostgreSQL holds the example shop's v1 and v2 schemas and an in-process Kafka broker
 * takes the audit trail; v1 is seeded and backfilled into v2 (phase backfill, then dual by itself), both
 * services write at 10% and then 50% gray traffic, a conflict is resolved, then the operator's commands run as
 * typed: {@code drift}, {@code promote} (through its gate), {@code gate rollback} (the drill) and
 * {@code finalize}, which stops the lanes. Both sides are compared through the mapping and a row is shown in
 * both forms.
 */
public final class Demo {
    private static final String RESOURCES = "graybridge-demo/";
    private static final int STEPS = 11;

    private final PrintWriter out;
    private final long customers;
    private final long orders;
    private final long trafficMillis;

    public Demo(PrintWriter out, long customers, long orders, long trafficMillis) {
        this.out = out;
        this.customers = customers;
        this.orders = orders;
        this.trafficMillis = trafficMillis;
    }

    /** Runs the demo; returns the process exit code (0 when both sides agree at the end). */
    public int run() throws Exception {
        say("GrayBridge demo: a gray release of an example shop, on an embedded PostgreSQL.");
        say("The old service (v1) uses schema shop_v1, the new service (v2) schema shop_v2, where customers");
        say("became clients, balance_cents became a decimal balance and clients gained a tier, and suppliers");
        say("was split into suppliers and supplier_addresses. Both write.");
        say("");
        Path work = Files.createTempDirectory("graybridge-demo-");
        long t0 = System.nanoTime();
        step(1, "Starting an embedded PostgreSQL with logical decoding and an in-process Kafka broker (both from"
                + " Maven artifacts)");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_wal_senders", "4")
                // the embedded server defaults to synchronous_commit=off: WAL then reaches the replication
                // slot only every wal_writer_delay (200 ms), which the demo would report as lag
                .setServerConfig("synchronous_commit", "on")
                .setOverrideWorkingDirectory(work.resolve("pg").toFile())
                .setCleanDataDirectory(true)
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE shop");
            }
            DataSource shop = pg.getDatabase("postgres", "shop");
            detail("ready in %.1f s: PostgreSQL on port %d, Kafka at %s", seconds(t0), pg.getPort(),
                    kafka.bootstrapServers());

            step(2, "Creating schemas shop_v1 and shop_v2 (config/demo/v1.sql, config/demo/v2.sql)");
            Path config = extract(work);
            for (String file : List.of("v1.sql", "v2.sql")) {
                try (Connection c = shop.getConnection(); Statement s = c.createStatement()) {
                    s.execute(Files.readString(config.resolve("demo").resolve(file)));
                }
            }

            step(3, String.format(Locale.ROOT, "Seeding v1 with %,d customers and %,d orders", customers, orders));
            ShopTraffic.seed(shop, customers, orders);
            execute(shop, "INSERT INTO shop_v1.suppliers (id, contact_name, status, street, city) VALUES"
                    + " (1, 'Ada Lovelace', 'A', '12 St James Square', 'London'),"
                    + " (2, 'Charles Babbage', 'I', '1 Dorset Street', 'London')");
            detail("and 2 suppliers, a table that v2 splits in two");

            // the operator commands below read this file: the demo's config with the embedded servers filled in
            Path cliConfig = config.resolve("demo/bridge-embedded.yaml");
            Files.writeString(cliConfig, Files.readString(config.resolve("demo/bridge.yaml"))
                    .replace("${GB_DEMO_JDBC_URL}", pg.getJdbcUrl("postgres", "shop"))
                    .replace("${GB_DEMO_KAFKA}", kafka.bootstrapServers()));
            BridgeConfig cfg = ConfigLoader.load(cliConfig, Map.of());
            step(4, "Starting the bridge (config/demo/bridge.yaml): phase backfill, v1-to-v2 copies v1, then both"
                    + " lanes stream");
            long backfillStart = System.nanoTime();
            try (Bridge bridge = Bridge.open(cfg); AuditWatcher audit = new AuditWatcher(cfg.audit())) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                Lane back = bridge.lane(Direction.BACKWARD).orElseThrow();
                waitFor(lane, () -> lane.stats().snapshotRows() >= customers + orders + 2 && slotsStreaming(shop) == 2, 120);
                double backfillSeconds = seconds(backfillStart);
                detail("backfilled %,d rows in %.1f s (%,.0f rows/s, including engine start and slot creation)",
                        lane.stats().snapshotRows(), backfillSeconds, lane.stats().snapshotRows() / backfillSeconds);
                waitFor(lane, "the phase move to dual", () -> bridge.phase() == Phase.DUAL, 30);
                detail("phase backfill -> dual: the bridge moved it once the backfill was done; both services may"
                        + " write now, v1 is primary (conflicts.policy: %s)", cfg.conflictPolicy());

                ShopTraffic traffic = new ShopTraffic(shop, customers, orders);
                long v2Changes = 0;
                int[][] splits = {{10, 180, 20}, {50, 100, 100}}; // gray share %, v1 and v2 transactions a second
                for (int i = 0; i < splits.length; i++) {
                    int[] split = splits[i];
                    step(5 + i, String.format(Locale.ROOT, "Gray traffic at %d%% for %d s: the router sends %d%% of"
                            + " writes to the new service (v2: new clients, name and balance changes) and the rest to"
                            + " the old one (v1: new customers and orders, balance and status changes, deletes,"
                            + " order-number changes)", split[0], trafficMillis / 1000, split[0]));
                    long txBefore = traffic.transactions();
                    long changesBefore = traffic.rowChanges();
                    long firstNewId = 1_000_000L + 100_000L * i;
                    long[] madeOnV2 = {0};
                    Thread v2Writer = new Thread(() -> {
                        try {
                            madeOnV2[0] = ShopTraffic.runV2(shop, customers, trafficMillis, split[2], firstNewId);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, "demo-v2-traffic");
                    long trafficStart = System.nanoTime();
                    v2Writer.start();
                    traffic.run(trafficMillis, split[1]);
                    v2Writer.join();
                    v2Changes += madeOnV2[0];
                    detail("v1 committed %,d transactions with %,d row changes, v2 %,d row changes (%,.0f changes/s in"
                                    + " all); lag now v1-to-v2 p99 %d ms, v2-to-v1 p99 %d ms",
                            traffic.transactions() - txBefore, traffic.rowChanges() - changesBefore, madeOnV2[0],
                            (traffic.rowChanges() - changesBefore + madeOnV2[0]) / seconds(trafficStart),
                            lane.stats().lag(99).toMillis(), back.stats().lag(99).toMillis());
                }

                step(7, "A conflict and a split table: customer 1 changed on both sides at the same moment; v1 moves"
                        + " a supplier and adds one, v2 renames a supplier's contact");
                try (Connection c1 = shop.getConnection(); Connection c2 = shop.getConnection();
                        Statement s1 = c1.createStatement(); Statement s2 = c2.createStatement()) {
                    c1.setAutoCommit(false);
                    c2.setAutoCommit(false);
                    s1.executeUpdate("UPDATE shop_v1.customers SET balance_cents = 111111 WHERE id = 1");
                    s2.executeUpdate("UPDATE shop_v2.clients SET balance = 2222.22 WHERE id = 1");
                    c1.commit();
                    c2.commit();
                }
                detail("v1 set balance_cents = 111111 and v2 set balance = 2222.22 before either lane delivered;"
                        + " policy %s in phase %s: v1 wins on both sides", cfg.conflictPolicy(), bridge.phase());
                execute(shop, "UPDATE shop_v1.suppliers SET street = '5 Rue de Rivoli', city = 'Paris' WHERE id = 1");
                execute(shop, "INSERT INTO shop_v1.suppliers (id, contact_name, street, city)"
                        + " VALUES (3, 'Grace Hopper', '1 Navy Yard', 'Arlington')");
                execute(shop, "UPDATE shop_v2.suppliers SET last_name = 'Byron-Lovelace' WHERE id = 1");
                detail("v1's supplier row becomes a row in v2 suppliers (name split in two, status spelled out)"
                        + " and a row in v2 supplier_addresses, both keyed by the supplier's id");
                List<TableComparison> results = compareUntilClean(bridge, lane, 60);
                // the conflict on customer 1, then no new conflict for 2 s: the lane into the winning side may still be
                // delivering losing writes of the traffic (they change no row, so drift is clean before they arrive), and
                // the promote gate fails on a conflict recorded after its drift result began
                waitFor(lane, "the conflict on customer 1", () -> customerOneConflicts(shop) >= 1, 30);
                waitForQuiet(lane, () -> conflicts(shop), 2, 30);
                for (String line : conflictLines(shop)) {
                    detail("conflict recorded: %s", line);
                }

                step(8, "Drift report: both sides compared through the mapping, rows in flight re-checked once the"
                        + " lanes caught up");
                int drift = command(cliConfig, "drift");

                step(9, "Promotion: the promote gate (fresh drift result, lag, conflicts, dead letters), then the phase");
                int promote = command(cliConfig, "promote");
                waitFor(lane, "the phase move to promoted", () -> bridge.phase() == Phase.PROMOTED, 10);
                detail("the running bridge follows: v2 is primary now (primary-wins picks v2); v2-to-v1 keeps v1 ready"
                        + " for a rollback, v1-to-v2 drains what v1 still writes");

                step(10, "Rollback drill: would a rollback be safe right now? (the gate only; the phase stays promoted)");
                int drill = command(cliConfig, "gate", "rollback");

                step(11, "Finalize: v1 is retired; the gate of the promoted phase, then both lanes stop");
                int finalize = command(cliConfig, "finalize");
                waitFor(lane, "the lanes' stop after finalize", () -> bridge.finalized()
                        && lane.state() != Lane.State.RUNNING && back.state() != Lane.State.RUNNING, 30);
                detail("phase finalized: both lanes stopped (slots, publications and the bridge's metadata stay until"
                        + " `graybridge finalize --drop-bridge-objects`)");

                say("");
                say("What the bridge did:");
                LaneStats stats = lane.stats();
                LaneStats backStats = back.stats();
                detail("v1-to-v2 streamed %,d changes (a key change arrives as a delete and an insert); lag p50 %d ms,"
                                + " p99 %d ms", stats.streamedChanges(), stats.lag(50).toMillis(), stats.lag(99).toMillis());
                detail("v2-to-v1 streamed %,d changes; lag p50 %d ms, p99 %d ms", backStats.streamedChanges(),
                        backStats.lag(50).toMillis(), backStats.lag(99).toMillis());
                long madeOnV1 = traffic.rowChanges() + traffic.keyChanges() + 1 + 2; // + the conflict, the suppliers
                long madeOnV2 = v2Changes + 1 + 1;
                boolean noEcho = stats.streamedChanges() == madeOnV1 && backStats.streamedChanges() == madeOnV2;
                detail("loop guard: %,d echoes dropped (the bridge's own writes, captured on the other side); each lane"
                                + " applied %s (v1 made %,d, v2 made %,d)", stats.echoesSuppressed()
                                + backStats.echoesSuppressed(), noEcho ? "exactly the changes its side made"
                                : "a different number of changes than its side made", madeOnV1, madeOnV2);
                boolean clean = true;
                for (TableComparison r : results) {
                    clean &= r.clean();
                    detail("%-10s -> %-18s %,6d rows on v1, %,6d on v2: %s", table(cfg, r, Side.V1), table(cfg, r, Side.V2),
                            r.v1Rows(), r.v2Rows(), r.clean() ? "identical through the mapping"
                                    : r.missingOnV2() + " missing, " + r.extraOnV2() + " extra, " + r.mismatched()
                                            + " different " + r.samples());
                }
                boolean lifecycle = drift == 0 && promote == 0 && drill == 0 && finalize == 0;
                detail("release: backfill -> dual -> promoted -> finalized; drift exit %d, promote %d, rollback drill"
                        + " %d, finalize %d", drift, promote, drill, finalize);

                boolean audited = showAudit(bridge, cfg, audit);
                say("");
                say("Customer 1 after the conflict, as each service sees it:");
                sideBySide(shop, "shop_v1.customers", "SELECT * FROM shop_v1.customers WHERE id = 1", "shop_v2.clients",
                        "SELECT * FROM shop_v2.clients WHERE id = 1");
                say("");
                say("Supplier 1, one v1 row and two v2 rows (the v2 name change came back to v1 too):");
                sideBySide(shop, "shop_v1.suppliers", "SELECT * FROM shop_v1.suppliers WHERE id = 1",
                        "shop_v2.suppliers + supplier_addresses", "SELECT s.*, a.* FROM shop_v2.suppliers s"
                                + " JOIN shop_v2.supplier_addresses a ON a.supplier_id = s.id WHERE s.id = 1");
                say("");
                if (!clean || !noEcho || !audited || !lifecycle) {
                    say("RESULT: the sides differ or a lane applied an unexpected number of changes (see above). This"
                            + " is a bug in GrayBridge: please report it.");
                    return 1;
                }
                say(String.format(Locale.ROOT, "RESULT: both sides hold the same rows through the mapping; %,d rows"
                        + " backfilled, %,d changes streamed v1-to-v2 and %,d v2-to-v1, %d conflicts resolved, no echo"
                        + " applied; promoted and finalized through the gate. Total %.1f s.", stats.snapshotRows(),
                        stats.streamedChanges(),
                        backStats.streamedChanges(), conflicts(shop), seconds(t0)));
            }
        } finally {
            deleteTree(work);
        }
        say("Cleaned up: embedded PostgreSQL stopped and its files removed.");
        say("Next: run the same against your servers with ./graybridge run -c config/bridge.yaml");
        return 0;
    }

    private List<TableComparison> compareUntilClean(Bridge bridge, Lane lane, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            List<TableComparison> results = new ArrayList<>();
            for (TableMapping m : bridge.config().tables()) {
                results.add(TableComparator.compare(m,
                        sideTable(bridge.side(Side.V1), m.v1Table()), sideTable(bridge.side(Side.V2), m.v2Table()), 5));
            }
            if (results.stream().allMatch(TableComparison::clean) || System.nanoTime() > deadline
                    || lane.state() != Lane.State.RUNNING) {
                return results;
            }
            Thread.sleep(250);
        }
    }

    /**
     * Waits until both outboxes are drained and the demo's consumer has every published event, then shows the
     * count by type and a few events. Returns whether every event arrived.
     */
    private boolean showAudit(Bridge bridge, BridgeConfig cfg, AuditWatcher audit) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        long published = 0;
        while (System.currentTimeMillis() < deadline) {
            long waiting = 0;
            published = 0;
            for (Side side : Outbox.sides(cfg)) {
                Outbox.Backlog b = Outbox.backlog(bridge.side(side), cfg.metadataSchema(), cfg.name());
                waiting += b.waiting();
                published += b.published();
            }
            if (waiting == 0 && audit.events().size() >= published) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> events = audit.events();
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> byType = new java.util.TreeMap<>();
        List<JsonNode> samples = new java.util.ArrayList<>();
        int conflictsShown = 0;
        boolean streamedShown = false;
        for (String e : events) {
            JsonNode n;
            try {
                n = json.readTree(e);
            } catch (java.io.IOException bad) {
                continue;
            }
            String type = n.path("type").asText().replaceFirst("^io\\.graybridge\\.", "");
            byType.merge(type, 1L, Long::sum);
            if (type.equals("change.applied") && !streamedShown
                    && !n.path("data").path("operation").asText().equals("snapshot")) {
                streamedShown = true;
                samples.add(n);
            } else if (type.equals("conflict.resolved") && conflictsShown++ < 2) {
                samples.add(n);
            }
        }
        detail("audit trail: %,d events arrived on Kafka (CloudEvents JSON, outbox -> relay -> idempotent producer): %s;"
                + " customers.email travels hashed (audit.masking: hash)", events.size(), byType);
        for (JsonNode n : samples) {
            detail("audit event: %s", AuditText.line(n));
        }
        return events.size() >= published && published > 0;
    }

    /** Slots whose capture started replication (a slot is active already while its snapshot runs). */
    private static long slotsStreaming(DataSource shop) {
        return count(shop, "SELECT count(*) FROM pg_replication_slots s WHERE "
                + io.graybridge.bridge.db.ReplicationSlots.STREAMING);
    }

    private static long customerOneConflicts(DataSource shop) {
        return count(shop, "SELECT count(*) FROM graybridge.conflict_log WHERE table_name IN ('customers', 'clients')"
                + " AND (row_key::jsonb ->> 'id') = '1'");
    }

    private static long conflicts(DataSource shop) {
        return count(shop, "SELECT count(*) FROM graybridge.conflict_log");
    }

    private static long count(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The conflicts the lanes recorded, one line each. */
    private static List<String> conflictLines(DataSource shop) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = shop.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT lane, table_name, row_key, kind, columns, winner"
                        + " FROM graybridge.conflict_log ORDER BY id")) {
            while (rs.next()) {
                out.add(String.format(Locale.ROOT, "lane %s, %s %s, %s on %s, %s kept on both sides", rs.getString(1),
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return out;
    }

    private static TableComparator.SideTable sideTable(SideDatabase db, String table) {
        List<String> key = new io.graybridge.bridge.db.SchemaInspector(db).table(db.schema(), table)
                .map(io.graybridge.bridge.db.TableInfo::primaryKey).orElse(List.of("id"));
        return new TableComparator.SideTable(db.dataSource(), db.schema(), table, key);
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String table(BridgeConfig cfg, TableComparison r, Side side) {
        return cfg.mappings().named(r.mapping()).map(m -> m.table(side)).orElse(r.mapping());
    }

    private void sideBySide(DataSource ds, String v1Title, String v1Query, String v2Title, String v2Query)
            throws SQLException {
        List<String[]> left = columns(ds, v1Query);
        List<String[]> right = columns(ds, v2Query);
        say(String.format(Locale.ROOT, "    %-40s %s", "v1 " + v1Title, "v2 " + v2Title));
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i)[0] + " = " + left.get(i)[1] : "";
            String r = i < right.size() ? right.get(i)[0] + " = " + right.get(i)[1] : "";
            say(String.format(Locale.ROOT, "    %-40s %s", l, r));
        }
    }

    private static List<String[]> columns(DataSource ds, String query) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            ResultSetMetaData md = rs.getMetaData();
            if (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.add(new String[] {md.getColumnName(i), Values.render(rs.getObject(i))});
                }
            }
        }
        return out;
    }

    /** Waits until {@code value} stayed the same for {@code quietSeconds}, at most {@code timeoutSeconds}. */
    private void waitForQuiet(Lane lane, java.util.function.LongSupplier value, int quietSeconds, int timeoutSeconds)
            throws InterruptedException {
        long[] last = {value.getAsLong()};
        long[] since = {System.nanoTime()};
        waitFor(lane, "no new conflict for " + quietSeconds + " s", () -> {
            long now = value.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= TimeUnit.SECONDS.toNanos(quietSeconds);
        }, timeoutSeconds);
    }

    private void waitFor(Lane lane, java.util.function.BooleanSupplier done, int timeoutSeconds)
            throws InterruptedException {
        waitFor(lane, "the backfill", done, timeoutSeconds);
    }

    /** Waits until {@code done}; fails naming {@code what} after {@code timeoutSeconds}, or when the lane failed. */
    private void waitFor(Lane lane, String what, java.util.function.BooleanSupplier done, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!done.getAsBoolean()) {
            if (lane.state() == Lane.State.FAILED) {
                throw new GrayBridgeException(ErrorCode.CAPTURE_FAILED, "lane " + lane.name() + " failed: "
                        + lane.failure().getMessage(), lane.failure());
            }
            if (System.nanoTime() > deadline) {
                throw new GrayBridgeException(ErrorCode.CAPTURE_FAILED, "lane " + lane.name()
                        + ": " + what + " did not happen within " + timeoutSeconds + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Copies the demo's config, schemas and mapping out of the jar, keeping their layout under config/. */
    private static Path extract(Path work) throws IOException {
        Path config = work.resolve("config");
        for (String file : List.of("demo/v1.sql", "demo/v2.sql", "demo/bridge.yaml", "mappings/shop.yaml")) {
            try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new GrayBridgeException(ErrorCode.INTERNAL, "the demo file " + file
                            + " is missing from the GrayBridge jar; rebuild it with mvn package");
                }
                Path target = config.resolve(file);
                Files.createDirectories(target.getParent());
                Files.writeString(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return config;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void step(int n, String text) {
        say(String.format(Locale.ROOT, "[%d/%d] %s", n, STEPS, text));
    }

    /**
     * Runs an operator command in this process, as typed at a terminal against the embedded servers, and shows
     * it and its output indented; returns its exit code.
     */
    private int command(Path config, String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("-c", config.toString()));
        say("      $ graybridge " + String.join(" ", args) + " -c bridge.yaml");
        java.io.StringWriter text = new java.io.StringWriter();
        PrintWriter both = new PrintWriter(text, true);
        long start = System.nanoTime();
        int code = io.graybridge.bridge.cli.GrayBridgeCli.execute(argv.toArray(String[]::new), both, both);
        for (String line : text.toString().split("\\R")) {
            if (!line.isBlank() && !line.contains("\r")) {
                say("        " + line);
            }
        }
        detail("(exit %d, %.1f s)", code, seconds(start));
        return code;
    }

    private void detail(String format, Object... args) {
        say("      " + String.format(Locale.ROOT, format, args));
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
