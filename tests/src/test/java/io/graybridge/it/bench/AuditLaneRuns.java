package io.graybridge.it.bench;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.ReplicationSlots;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.ProcCpu;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One {@link AuditBenchmark} run: {@code changes} updates written while the bridge is stopped, then the lane's
 * catch-up timed and its CPU counted, in the JVM this class runs in. {@link AuditBenchmark} runs it in its own JVM
 * (same-JVM figures) and, through {@link #main}, in a child JVM per mode (one child for audit off, one for audit on,
 * each for the whole benchmark): commands on stdin, {@code run <changes> <up|down>} answered by {@code figures ...}
 * and {@code drain} by {@code drained <events> <seconds>}. No JUnit or AssertJ here, so the child needs only the
 * bridge's jar and the test classes.
 */
final class AuditLaneRuns {
    static final int ROWS = 5_000;

    /** Names of the bridge's threads that publish the audit trail: the relay and its Kafka producer's sender. */
    private static final List<String> RELAY_THREADS = List.of("graybridge-audit-relay-", "kafka-producer-network-thread");
    /** The relay's own thread: reading the outbox, rendering, handing records to the producer, deleting. */
    private static final List<String> RELAY_THREAD = List.of("graybridge-audit-relay-");
    /** The lane's apply thread: the target transaction, where the writer encodes the facts and inserts the outbox row. */
    private static final List<String> APPLY_THREAD = List.of("graybridge-apply-");
    /** The lane's capture threads: Debezium's engine and the bridge's capture pool. */
    private static final List<String> CAPTURE_THREADS = List.of("graybridge-capture-", "debezium-");
    /** The JVM's JIT compiler threads, by their kernel names (ThreadMXBean does not list them). */
    private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");
    /** The JVM's garbage collector threads and its VM thread (safepoints), by their kernel names. */
    private static final List<String> GC_THREADS = List.of("GC Thread", "G1 ", "VM Thread");

    /** One run's figures; CPU in ms per 1,000 changes. */
    record Figures(double rate, double seconds, double tail, double bridgeCpu, double relayCpu, double brokerCpu,
            double pgCpu, double load, double relayThreadCpu, double applyCpu, double captureCpu, double jitCpu,
            double gcCpu) {
        /** Changes per second until the lane caught up <em>and</em> the outbox was empty. */
        double drainedRate() {
            return rate * seconds / (seconds + tail);
        }

        /** The lane's own threads: apply (the target transaction, outbox insert included) and capture. */
        double laneCpu() {
            return applyCpu + captureCpu;
        }

        String encode() {
            return Arrays.stream(new double[] {rate, seconds, tail, bridgeCpu, relayCpu, brokerCpu, pgCpu, load,
                relayThreadCpu, applyCpu, captureCpu, jitCpu, gcCpu}).mapToObj(Double::toString)
                    .collect(Collectors.joining(" "));
        }

        static Figures decode(String line) {
            double[] v = Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            return new Figures(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
        }
    }

    private final BridgeConfig cfg;
    private final String jdbcUrl;
    private final Properties login;
    private final long brokerPid;

    AuditLaneRuns(BridgeConfig cfg, String jdbcUrl, String user, String password, long brokerPid) {
        this.cfg = cfg;
        this.jdbcUrl = jdbcUrl;
        this.login = new Properties();
        login.setProperty("user", user);
        if (!password.isEmpty()) {
            login.setProperty("password", password);
        }
        login.setProperty("ApplicationName", "graybridge-bench");
        this.brokerPid = brokerPid;
    }

    /**
     * The child JVM: {@code args} are the config file, the shop's JDBC URL and user (the password in
     * {@code GB_IT_PASSWORD}) and the broker's process id. Logs go to stderr; stdout carries only the answers.
     */
    public static void main(String[] args) throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err);
        String password = System.getenv().getOrDefault("GB_IT_PASSWORD", "");
        BridgeConfig cfg = ConfigLoader.load(Path.of(args[0]), System.getenv());
        AuditLaneRuns runs = new AuditLaneRuns(cfg, args[1], args[2], password, Long.parseLong(args[3]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.split(" ");
            if (cmd[0].equals("run")) {
                protocol.println("figures " + runs.measure(Integer.parseInt(cmd[1]), cmd[2].equals("up")).encode());
            } else if (cmd[0].equals("drain")) {
                double[] d = runs.drain();
                protocol.println("drained " + (long) d[0] + " " + d[1]);
            } else {
                protocol.println("error unknown command: " + line);
            }
            protocol.flush();
        }
    }

    /**
     * Writes {@code changes} updates while the bridge is stopped, then times the lane's catch-up from its first
     * applied batch (not counted: engine start) to its last, and counts the CPU of this JVM (the bridge) and of the
     * broker from then until the lane caught up and, with audit on and the broker up, the outbox is empty.
     */
    Figures measure(int changes, boolean brokerUp) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, login)) {
            try (Bridge bridge = Bridge.open(cfg)) { // backfill (first time) and slot, then stop
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                long backfillDeadline = System.currentTimeMillis() + 300_000;
                while (lane.stats().snapshotRows() < ROWS && count(db, "SELECT count(*) FROM shop_v2.clients") < ROWS) {
                    check(lane, backfillDeadline); // a lane that failed (or never backfills) ends the run with its reason
                    Thread.sleep(50);
                }
                while (count(db, "SELECT count(*) FROM pg_replication_slots s WHERE s.database = current_database() AND "
                        + ReplicationSlots.STREAMING) < 1) {
                    check(lane, backfillDeadline);
                    Thread.sleep(100);
                }
            }
            writeChanges(db, changes);
            System.gc(); // every run starts without the garbage of the one before
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                long before = lane.stats().streamedChanges();
                long deadline = System.currentTimeMillis() + 300_000;
                while (lane.stats().streamedChanges() == before) {
                    check(lane, deadline);
                    Thread.sleep(1);
                }
                long t0 = System.nanoTime();
                double cpu0 = ProcCpu.self();
                double relay0 = threadCpuSeconds(RELAY_THREADS);
                double relayThread0 = threadCpuSeconds(RELAY_THREAD);
                double apply0 = threadCpuSeconds(APPLY_THREAD);
                double capture0 = threadCpuSeconds(CAPTURE_THREADS);
                double jit0 = ProcCpu.threadSeconds(JIT_THREADS);
                double gc0 = ProcCpu.threadSeconds(GC_THREADS);
                double broker0 = ProcCpu.seconds(brokerPid);
                Map<Long, Double> pg0 = pgCpu(db);
                long first = lane.stats().streamedChanges();
                while (lane.stats().streamedChanges() < before + changes) {
                    check(lane, deadline);
                    Thread.sleep(5);
                }
                long caughtUp = System.nanoTime();
                double seconds = (caughtUp - t0) / 1e9;
                while (brokerUp && !bridge.relays().isEmpty()
                        && Outbox.backlog(bridge.side(Side.V1), cfg.metadataSchema(), cfg.name()).waiting() > 0
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                double tail = (System.nanoTime() - caughtUp) / 1e9;
                long counted = before + changes - first;
                double pg = 0;
                for (Map.Entry<Long, Double> e : pgCpu(db).entrySet()) {
                    pg += e.getValue() - pg0.getOrDefault(e.getKey(), 0.0);
                }
                return new Figures(counted / seconds, seconds, tail, 1e6 * (ProcCpu.self() - cpu0) / counted,
                        1e6 * (threadCpuSeconds(RELAY_THREADS) - relay0) / counted,
                        1e6 * (ProcCpu.seconds(brokerPid) - broker0) / counted, 1e6 * pg / counted, ProcCpu.load(),
                        1e6 * (threadCpuSeconds(RELAY_THREAD) - relayThread0) / counted,
                        1e6 * (threadCpuSeconds(APPLY_THREAD) - apply0) / counted,
                        1e6 * (threadCpuSeconds(CAPTURE_THREADS) - capture0) / counted,
                        1e6 * (ProcCpu.threadSeconds(JIT_THREADS) - jit0) / counted,
                        1e6 * (ProcCpu.threadSeconds(GC_THREADS) - gc0) / counted);
            }
        }
    }

    /** Starts the bridge and times the relay until the outbox is empty: {events waiting at the start, seconds}. */
    double[] drain() throws Exception {
        long waiting;
        try (var v1 = io.graybridge.bridge.db.SideDatabase.open(cfg.v1(), cfg.name())) {
            waiting = Outbox.backlog(v1, cfg.metadataSchema(), cfg.name()).waiting();
        }
        long t0 = System.nanoTime();
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            while (Outbox.backlog(bridge.side(Side.V1), cfg.metadataSchema(), cfg.name()).waiting() > 0) {
                Thread.sleep(50);
            }
        }
        return new double[] {waiting, (System.nanoTime() - t0) / 1e9};
    }

    private static void writeChanges(Connection c, int changes) throws SQLException {
        SplittableRandom random = new SplittableRandom(changes);
        // the changes are written before the bridge starts, so how fast is not measured: no wait for the disk per
        // commit, and each transaction's 10 updates sent in one round trip (the same WAL, the same transactions)
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
        }
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("UPDATE shop_v1.customers SET balance_cents = ? WHERE id = ?")) {
            for (int i = 0; i < changes; i++) {
                ps.setLong(1, random.nextInt(1_000_000));
                ps.setLong(2, 1 + random.nextInt(ROWS));
                ps.addBatch();
                if (i % 10 == 9 || i == changes - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        c.setAutoCommit(true);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * CPU seconds so far of each PostgreSQL backend serving the benchmark's database (the bridge's pools, its
     * replication slot's walsender), by process id: the server's share of the work, apart from other databases.
     */
    private static Map<Long, Double> pgCpu(Connection c) throws SQLException {
        Map<Long, Double> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                double s = ProcCpu.seconds(rs.getLong(1));
                if (!Double.isNaN(s)) {
                    out.put(rs.getLong(1), s);
                }
            }
        }
        return out;
    }

    /** CPU seconds so far of this JVM's live threads whose name starts with one of {@code prefixes}. */
    private static double threadCpuSeconds(List<String> prefixes) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && prefixes.stream().anyMatch(t.getThreadName()::startsWith)) {
                nanos += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return nanos / 1e9;
    }

    private static void check(Lane lane, long deadline) {
        if (lane.state() == Lane.State.FAILED || System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("lane " + lane.name() + " " + lane.state() + " after "
                    + lane.stats().streamedChanges() + " changes", lane.failure());
        }
    }
}
