package io.graybridge.bench.suite;

import io.graybridge.bridge.capture.CapturedBatch;
import io.graybridge.bridge.capture.OffsetEntry;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Apply ceiling (issue 9, item 1): the same mapped rows written into the v2 {@code clients} table three
 * ways, each into an empty table after a checkpoint:
 *
 * <ul>
 *   <li><b>COPY BINARY</b>, one statement for all rows: the physical limit of the server;
 *   <li><b>the bridge's lane</b>: v1 {@code customers} inserts handed to {@link Lane#accept} in batches of
 *       each swept size, i.e. mapping, conflict check (reading and locking the current rows), batched
 *       statements, loop-guard marker and stored position, one target transaction per batch, exactly as
 *       when capture delivers them;
 *   <li><b>naive</b>: one prepared upsert per row with autocommit, the way a hand-rolled sync job does it.
 * </ul>
 *
 * Every run's result is checked against the COPY run's table (count and a hash of every row), so the
 * rates compare the same work.
 */
final class ApplyBench {
    private static final LocalDateTime CREATED = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final String COLUMNS = "id, full_name, email, balance, status, tier, created_at";

    private final BenchOptions options;

    ApplyBench(BenchOptions options) {
        this.options = options;
    }

    void run(Report report) throws Exception {
        Report.Table t = report.table("apply", "Apply ceiling: " + String.format(Locale.ROOT, "%,d", options.applyRows())
                        + " mapped rows into PostgreSQL", "method", "batch", "rows", "seconds", "rows/s",
                "JVM CPU s/1M rows", "server CPU s/1M rows", "vs COPY");
        try (ShopFixture shop = ShopFixture.create("benchapply")) {
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(""), shop.env());
            Checksum reference;
            Measured copy;
            try (Connection c = shop.connect(Side.V2)) {
                copy = measure(shop, options.applyRows(), () -> copyBinary(c, options.applyRows()));
                reference = checksum(shop, Long.MAX_VALUE);
            }
            Checksum naiveReference = checksum(shop, options.naiveRows());
            BenchmarkSuite.progress(String.format(Locale.ROOT, "  COPY BINARY: %,.0f rows/s", copy.rate()));
            t.add("COPY BINARY (physical limit)", "all", copy.rows, copy.seconds, copy.rate(), copy.jvmPerMillion(),
                    copy.serverPerMillion(), 1.0);

            double bestLane = 0;
            int bestBatch = 0;
            try (Bridge bridge = Bridge.open(cfg)) {
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                for (int batch : options.batchSizes()) {
                    Measured m = measure(shop, options.applyRows(), () -> viaLane(lane, options.applyRows(), batch));
                    expectSame(shop, reference, Long.MAX_VALUE, "the lane at batch size " + batch);
                    BenchmarkSuite.progress(String.format(Locale.ROOT, "  lane, batch %,d: %,.0f rows/s", batch, m.rate()));
                    t.add("bridge lane (map + apply)", batch, m.rows, m.seconds, m.rate(), m.jvmPerMillion(),
                            m.serverPerMillion(), m.rate() / copy.rate());
                    if (m.rate() > bestLane) {
                        bestLane = m.rate();
                        bestBatch = batch;
                    }
                }
            }
            Measured naive;
            try (Connection c = shop.connect(Side.V2)) {
                naive = measure(shop, options.naiveRows(), () -> naiveUpserts(c, options.naiveRows()));
            }
            expectSame(shop, naiveReference, options.naiveRows(), "the naive upserts");
            BenchmarkSuite.progress(String.format(Locale.ROOT, "  naive per-row upsert: %,.0f rows/s", naive.rate()));
            t.add("naive per-row upsert, autocommit", 1, naive.rows, naive.seconds, naive.rate(), naive.jvmPerMillion(),
                    naive.serverPerMillion(), naive.rate() / copy.rate());

            t.note("Each run writes into an empty table after a CHECKPOINT; every run's table is checked against the"
                    + " COPY run's (row count and a hash of every row).");
            t.note("The naive peer writes " + String.format(Locale.ROOT, "%,d", options.naiveRows())
                    + " rows (rows/s and CPU per 1M rows are per row, so fewer rows measure it too).");
            t.note("CPU: the JVM (bridge side) and the local PostgreSQL server's processes, from /proc; n/a when the"
                    + " server is not on this machine.");
            double laneVsCopy = bestLane / copy.rate();
            double laneVsNaive = bestLane / naive.rate();
            report.goal("lane apply >= 50% of the physical limit (COPY BINARY)",
                    String.format(Locale.ROOT, "%.0f%% (batch %d: %,.0f vs %,.0f rows/s)", laneVsCopy * 100, bestBatch,
                            bestLane, copy.rate()), laneVsCopy >= 0.5);
            report.goal("lane apply >= 10x the naive per-row upsert",
                    String.format(Locale.ROOT, "%.1fx (%,.0f vs %,.0f rows/s)", laneVsNaive, bestLane, naive.rate()),
                    laneVsNaive >= 10);
        }
    }

    /** What one method achieved. */
    record Measured(long rows, double seconds, double jvmCpu, double serverCpu) {
        double rate() {
            return rows / seconds;
        }

        double jvmPerMillion() {
            return jvmCpu * 1e6 / rows;
        }

        double serverPerMillion() {
            return serverCpu * 1e6 / rows;
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static Measured measure(ShopFixture shop, long rows, Work work) throws Exception {
        shop.execute(Side.V2, "TRUNCATE shop_v2.clients");
        shop.execute(Side.V2, "CHECKPOINT");
        CpuClock.Reading cpu0 = CpuClock.read();
        long t0 = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuClock.Reading cpu1 = CpuClock.read();
        long written = shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients");
        if (written != rows) {
            throw new IllegalStateException("expected " + rows + " rows in shop_v2.clients after the run, found " + written);
        }
        return new Measured(rows, seconds, cpu1.jvmSecondsSince(cpu0), cpu1.serverSecondsSince(cpu0));
    }

    // ---- the three methods ------------------------------------------------------------------------------

    static Row sourceRow(long id) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("name", "customer " + id);
        v.put("email", "c" + id + "@example.com");
        v.put("balance_cents", id * 7 % 1_000_000);
        v.put("status", id % 10 == 0 ? "I" : "A");
        v.put("created_at", CREATED.plusSeconds(id));
        return Row.of(v);
    }

    private static void viaLane(Lane lane, int rows, int batchSize) throws InterruptedException {
        Instant commit = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<SourceChange> batch = new ArrayList<>(batchSize);
        long position = 0;
        for (long id = 1; id <= rows; id++) {
            String lsn = "bench/" + id;
            batch.add(new SourceChange(Side.V1, "customers", SourceChange.Op.INSERT, null, sourceRow(id), lsn,
                    String.valueOf(id / batchSize), commit));
            if (batch.size() == batchSize || id == rows) {
                position++;
                OffsetEntry offset = new OffsetEntry("[\"bench\",{\"server\":\"apply\"}]".getBytes(StandardCharsets.UTF_8),
                        ("{\"lsn\":" + position + "}").getBytes(StandardCharsets.UTF_8));
                lane.accept(new CapturedBatch(batch, List.of(offset), 0));
                batch = new ArrayList<>(batchSize);
            }
        }
    }

    private static void naiveUpserts(Connection c, int rows) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shop_v2.clients (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET full_name = EXCLUDED.full_name,"
                + " email = EXCLUDED.email, balance = EXCLUDED.balance, status = EXCLUDED.status, tier = EXCLUDED.tier,"
                + " created_at = EXCLUDED.created_at")) {
            for (long id = 1; id <= rows; id++) {
                Row r = sourceRow(id);
                ps.setLong(1, id);
                ps.setString(2, (String) r.get("name"));
                ps.setString(3, (String) r.get("email"));
                ps.setBigDecimal(4, BigDecimal.valueOf((Long) r.get("balance_cents"), 2));
                ps.setString(5, (String) r.get("status"));
                ps.setString(6, "standard");
                ps.setObject(7, r.get("created_at"));
                ps.executeUpdate();
            }
        }
    }

    private static void copyBinary(Connection c, int rows) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY shop_v2.clients (" + COLUMNS + ") FROM STDIN (FORMAT binary)");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CopyInStream(copy), 1 << 16))) {
            out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
            out.writeInt(0);
            out.writeInt(0);
            for (long id = 1; id <= rows; id++) {
                Row r = sourceRow(id);
                out.writeShort(7);
                out.writeInt(8);
                out.writeLong(id);
                text(out, (String) r.get("name"));
                text(out, (String) r.get("email"));
                numeric(out, BigDecimal.valueOf((Long) r.get("balance_cents"), 2));
                text(out, (String) r.get("status"));
                text(out, "standard");
                out.writeInt(8);
                out.writeLong(ChronoUnit.MICROS.between(LocalDateTime.of(2000, 1, 1, 0, 0), (LocalDateTime) r.get("created_at")));
            }
            out.writeShort(-1);
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** PostgreSQL's binary numeric: base-10000 digits around the decimal point. */
    static void numeric(DataOutputStream out, BigDecimal value) throws IOException {
        String plain = value.abs().toPlainString();
        int dot = plain.indexOf('.');
        String intPart = dot < 0 ? plain : plain.substring(0, dot);
        String frac = dot < 0 ? "" : plain.substring(dot + 1);
        intPart = intPart.replaceFirst("^0+", "");
        while (intPart.length() % 4 != 0) {
            intPart = "0" + intPart;
        }
        StringBuilder f = new StringBuilder(frac);
        while (f.length() % 4 != 0) {
            f.append('0');
        }
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < intPart.length(); i += 4) {
            digits.add(Integer.parseInt(intPart.substring(i, i + 4)));
        }
        int weight = digits.size() - 1;
        for (int i = 0; i < f.length(); i += 4) {
            digits.add(Integer.parseInt(f.substring(i, i + 4)));
        }
        while (!digits.isEmpty() && digits.get(0) == 0) {
            digits.remove(0);
            weight--;
        }
        while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
            digits.remove(digits.size() - 1);
        }
        if (digits.isEmpty()) {
            weight = 0;
        }
        out.writeInt(8 + 2 * digits.size());
        out.writeShort(digits.size());
        out.writeShort(weight);
        out.writeShort(value.signum() < 0 ? 0x4000 : 0);
        out.writeShort(Math.max(0, value.scale()));
        for (int d : digits) {
            out.writeShort(d);
        }
    }

    /** The driver's COPY sink as a stream; ends the COPY on close. */
    private static final class CopyInStream extends OutputStream {
        private final CopyIn copy;

        CopyInStream(CopyIn copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                copy.writeToCopy(b, off, len);
            } catch (SQLException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                copy.endCopy();
            } catch (SQLException e) {
                throw new IOException(e);
            }
        }
    }

    // ---- same rows? ---------------------------------------------------------------------------------------

    record Checksum(long rows, String hash) {}

    private static Checksum checksum(ShopFixture shop, long maxId) {
        try (Connection c = shop.connect(Side.V2); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0)"
                        + " FROM shop_v2.clients t WHERE id <= " + maxId)) {
            rs.next();
            return new Checksum(rs.getLong(1), rs.getString(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot checksum shop_v2.clients: " + e.getMessage(), e);
        }
    }

    private static void expectSame(ShopFixture shop, Checksum reference, long maxId, String what) {
        Checksum got = checksum(shop, maxId);
        if (!got.equals(reference)) {
            throw new IllegalStateException(what + " wrote different rows than COPY did: " + got + " vs " + reference);
        }
    }

}
