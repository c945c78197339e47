package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static io.graybridge.it.support.Sql.exec;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.audit.AuditBundle;
import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.demo.EmbeddedKafka;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.it.support.AuditConsumer;
import io.graybridge.it.support.AuditConsumer.Received;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail end to end: the bridge as its own JVM, the test's PostgreSQL, a real Kafka broker in this
 * JVM (KRaft, from Kafka's own artifacts), an auditing consumer reading the raw records.
 */
class AuditIT {
    private static final int SEED = 60;
    private static EmbeddedKafka kafka;

    private ShopFixture shop;
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(RepoPaths.root().resolve("tests/target"));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void dropShop() {
        writing.set(false);
        if (shop != null) {
            shop.close();
        }
    }

    private Path config(String prefix, boolean twoWay, String auditExtra) throws Exception {
        shop = ShopFixture.create(prefix);
        shop.execute("INSERT INTO shop_v1.customers (id, name, email, balance_cents)"
                + " SELECT g, 'c' || g, 'secret-' || g || '@mail.test', 0 FROM generate_series(1, " + SEED + ") g");
        Path file = twoWay ? shop.writeTwoWayConfig("v1-wins", "    batch-size: 25\n")
                : shop.writeConfig("    batch-size: 25\n");
        String topics = shop.database();
        Files.writeString(file, Files.readString(file)
                + "report:\n  masked-columns: [customers.email, clients.email]\n"
                + "audit:\n"
                + "  bootstrap-servers: " + kafka.bootstrapServers() + "\n"
                + "  topics: {changes: " + topics + ".changes, conflicts: " + topics + ".conflicts, lifecycle: "
                + topics + ".lifecycle}\n"
                + "  topic-partitions: 3\n"
                + "  topic-replication-factor: 1\n"
                + "  masking: hash\n"
                + "  hash-salt: it-salt\n"
                + auditExtra);
        return file;
    }

    /** Phase moves the bridge journaled (here the backfill -> dual one): one phase.changed event each. */
    private long transitions() {
        return shop.count(Side.V1, "SELECT count(*) FROM graybridge.phase_transition WHERE status = 'done'");
    }

    private List<String> topics() {
        String t = shop.database();
        return List.of(t + ".changes", t + ".conflicts", t + ".lifecycle");
    }

    @Test
    void shouldPublishExactlyOneValidMaskedEventPerAppliedChangeInKeyOrder() throws Exception {
        Path config = config("auditall", true, "");
        Map<String, String> env = new HashMap<>(shop.env());
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run.log"))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> progress("v1-to-v2", "snapshot_rows") >= SEED || !run.isAlive());
            shop.awaitSlotsActive(2);
            // per key, balance_cents counts up: events of one key must arrive in that order
            Map<Long, Integer> counter = new HashMap<>();
            SplittableRandom random = new SplittableRandom(3);
            try (Connection c = shop.connect()) {
                for (int i = 0; i < 150; i++) {
                    long id = 1 + random.nextInt(SEED);
                    int next = counter.merge(id, 1, Integer::sum);
                    exec(c, "UPDATE shop_v1.customers SET balance_cents = ?, email = ? WHERE id = ?", (long) next,
                            "secret-" + id + "-v" + next + "@mail.test", id);
                }
                for (int i = 0; i < 20; i++) {
                    exec(c, "INSERT INTO shop_v1.customers (id, name, email, balance_cents) VALUES (?, 'n', ?, 0)",
                            1000L + i, "secret-new-" + i + "@mail.test");
                }
                exec(c, "DELETE FROM shop_v1.customers WHERE id BETWEEN 1000 AND 1004");
            }
            // a conflict made on purpose: both sides change customer 7 at the same moment
            try (Connection c1 = shop.connect(Side.V1); Connection c2 = shop.connect(Side.V2)) {
                c1.setAutoCommit(false);
                c2.setAutoCommit(false);
                exec(c1, "UPDATE shop_v1.customers SET name = 'from v1' WHERE id = 7");
                exec(c2, "UPDATE shop_v2.clients SET full_name = 'from v2' WHERE id = 7");
                c1.commit();
                c2.commit();
            }
            long v1Changes = 150 + 20 + 5 + 1;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> progress("v1-to-v2", "changes_applied") >= v1Changes
                            && progress("v2-to-v1", "changes_applied") >= 1 || !run.isAlive());
            assertThat(run.isAlive()).as("bridge output:%n%s", run.output()).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> outboxWaiting() == 0);
            long expected = SEED + progress("v1-to-v2", "changes_applied") + progress("v2-to-v1", "changes_applied")
                    + conflicts() + transitions();

            List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                    got -> AuditConsumer.distinct(got) >= expected, Duration.ofSeconds(60));
            List<Received> events = AuditConsumer.dedup(all);

            assertThat(events).as("distinct events (expected %d)", expected).hasSize((int) expected);
            assertThat(events.stream().filter(e -> e.type().equals("io.graybridge.change.applied")).count())
                    .isEqualTo(expected - conflicts() - transitions());
            assertThat(events.stream().filter(e -> e.type().equals("io.graybridge.phase.changed"))
                            .map(e -> e.data().path("from").asText() + " -> " + e.data().path("to").asText() + " by "
                                    + e.data().path("actor").asText()))
                    .as("the bridge's own move once its backfill was done").containsExactly("backfill -> dual by graybridge");
            assertThat(events.stream().filter(e -> e.type().equals("io.graybridge.conflict.resolved")).count())
                    .as("one conflict.resolved per conflict_log row").isEqualTo(conflicts());
            // exactly one event per fact: no two ids for the same (lane, table, key, operation, position)
            assertThat(events.stream().filter(e -> e.type().endsWith("change.applied"))
                            .map(e -> e.data().path("lane").asText() + e.data().path("table") + e.data().path("key")
                                    + e.data().path("operation") + e.data().path("position"))
                            .distinct().count())
                    .isEqualTo(expected - conflicts() - transitions());
            // none missing: every v1 change is there, by kind
            assertThat(count(events, "v1-to-v2", "snapshot")).isEqualTo(SEED);
            assertThat(count(events, "v1-to-v2", "update")).isEqualTo(151);
            assertThat(count(events, "v1-to-v2", "insert")).isEqualTo(20);
            assertThat(count(events, "v1-to-v2", "delete")).isEqualTo(5);
            assertThat(count(events, "v2-to-v1", "update")).isEqualTo(1);

            // per-key order: each key's balances arrive counting up, all in one partition
            Map<String, List<Received>> byKey = new HashMap<>();
            for (Received r : events) {
                if (r.type().endsWith("change.applied") && r.data().path("lane").asText().equals("v1-to-v2")) {
                    byKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>()).add(r);
                }
            }
            for (Map.Entry<String, List<Received>> e : byKey.entrySet()) {
                assertThat(e.getValue().stream().map(Received::partition).distinct()).as("partitions of %s", e.getKey())
                        .hasSize(1);
                long last = -1;
                for (Received r : e.getValue()) {
                    JsonNode after = r.data().path("sourceAfter");
                    if (r.data().path("operation").asText().equals("update")
                            && !r.data().path("decision").path("conflict").isTextual()) {
                        long balance = after.path("balance_cents").asLong();
                        assertThat(balance).as("order of %s", e.getKey()).isGreaterThanOrEqualTo(last);
                        last = balance;
                    }
                }
            }
            assertThat(events.get(0).key()).isNotNull();
            assertThat(new String(events.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(events.get(0).event()
                    .path("subject").asText());

            // every event validates against its schemas, and so do the samples in docs/
            AuditConsumer.Schemas schemas = new AuditConsumer.Schemas();
            for (Received r : events) {
                assertThat(schemas.problems(r.event())).as("event %s", r.event()).isEmpty();
            }
            ObjectMapper json = new ObjectMapper();
            try (var samples = Files.list(RepoPaths.root().resolve("docs/audit/samples"))) {
                for (Path sample : samples.toList()) {
                    assertThat(schemas.problems(json.readTree(sample.toFile()))).as("%s", sample).isEmpty();
                }
            }

            // masked columns never in clear text, in any record's key or value
            for (Received r : all) {
                String raw = new String(r.value(), StandardCharsets.UTF_8) + new String(r.key(), StandardCharsets.UTF_8);
                assertThat(raw).doesNotContain("secret-").doesNotContain("mail.test");
            }
            assertThat(events.stream().filter(e -> e.data().path("after").path("email").asText().startsWith("sha256:"))
                    .count()).isGreaterThan(SEED);

            // graybridge audit tail prints them readably, filtered by type
            java.io.StringWriter out = new java.io.StringWriter();
            int code = io.graybridge.bridge.cli.GrayBridgeCli.execute(new String[] {"audit", "tail", "-c", config.toString(),
                "--from-beginning", "--type", "conflict.resolved", "--max", "1", "--timeout-seconds", "20"},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true));
            assertThat(code).isZero();
            if (conflicts() > 0) {
                assertThat(out.toString()).contains("conflict.resolved", "{\"id\":7}", "v1 wins", "[id ")
                        .doesNotContain("change.applied");
            }

            // a gate decision is audited too, committed with the stored decision (lifecycle topic)
            int gateCode = io.graybridge.bridge.cli.GrayBridgeCli.execute(new String[] {"gate", "promote", "-c",
                config.toString(), "--format", "json"}, new java.io.PrintWriter(new java.io.StringWriter(), true),
                    new java.io.PrintWriter(new java.io.StringWriter(), true));
            assertThat(gateCode).as("no drift result stored yet: the gate fails").isEqualTo(1);
            List<Received> withGate = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                    got -> got.stream().anyMatch(r -> r.type().equals("io.graybridge.gate.decided")), Duration.ofSeconds(60));
            Received gate = withGate.stream().filter(r -> r.type().equals("io.graybridge.gate.decided")).findFirst()
                    .orElseThrow();
            assertThat(schemas.problems(gate.event())).as("event %s", gate.event()).isEmpty();
            assertThat(gate.event().path("subject").asText()).isEqualTo("gate/promote");
            assertThat(gate.data().path("action").asText()).isEqualTo("promote");
            assertThat(gate.data().path("passed").asBoolean()).isFalse();
            assertThat(gate.data().path("reasons").toString()).contains("\"check\":\"drift\"");
        }
    }

    @Test
    void shouldKeepSyncingWhileKafkaIsDownAndDeliverEveryEventWhenItReturns() throws Exception {
        Path config = config("auditdown", false, "");
        try (BridgeProcess run = BridgeProcess.run(config, new HashMap<>(shop.env()), shop.dir().resolve("run.log"))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> progress("v1-to-v2", "snapshot_rows") >= SEED || !run.isAlive());
            shop.awaitSlotsActive(1);
            Thread writer = startWriter();
            await().atMost(Duration.ofSeconds(30)).until(() -> outboxPublished() > SEED + 20);

            kafka.stop();
            try {
                long appliedAtStop = progress("v1-to-v2", "changes_applied");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> progress("v1-to-v2", "changes_applied") > appliedAtStop + 100 && outboxWaiting() > 100);
                long waiting = outboxWaiting();
                long applied = progress("v1-to-v2", "changes_applied");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> progress("v1-to-v2", "changes_applied") > applied + 50);
                assertThat(outboxWaiting()).as("the outbox grows while Kafka is down").isGreaterThan(waiting);
                assertThat(run.isAlive()).as("bridge output:%n%s", run.output()).isTrue();
            } finally {
                kafka.start();
            }
            writing.set(false);
            writer.join();
            assertThat(writerFailure.get()).isNull();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                    .until(() -> progress("v1-to-v2", "changes_applied") >= changes.get() && outboxWaiting() == 0
                            || !run.isAlive());
            assertThat(run.isAlive()).as("bridge output:%n%s", run.output()).isTrue();
            assertThat(run.output()).as("no secret in the bridge's output").doesNotContain("it-salt");
        }
        long expected = SEED + changes.get() + transitions();
        assertThat(progress("v1-to-v2", "changes_applied")).isEqualTo(changes.get());
        List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                got -> AuditConsumer.distinct(got) >= expected, Duration.ofSeconds(60));
        assertThat(AuditConsumer.distinct(all)).as("every event arrived after the outage").isEqualTo(expected);
    }

    @Test
    void shouldStillPublishOutboxRowsWrittenByEarlierVersionsAtAnUpgrade() throws Exception {
        Path config = config("auditupgrade", false, "");
        Map<String, String> env = new HashMap<>(shop.env());
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run1.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> progress("v1-to-v2", "snapshot_rows") >= SEED && outboxPublished() >= SEED || !run.isAlive());
            assertThat(run.isAlive()).as("run 1 output:%n%s", run.output()).isTrue();
        }
        // rows as versions before the facts wrote them: a bundle of rendered events (format 1) and a plain row
        String bridge = shop.rows(Side.V1, "SELECT bridge FROM graybridge.audit_relay_progress").get(0);
        List<AuditEvent> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("note", "written before the upgrade \u00e9 " + i);
            old.add(new AuditEvent("pre-upgrade-" + i, "/graybridge/" + bridge + "/v1-to-v2", EventType.CHANGE_APPLIED,
                    "clients/{\"id\":" + i + "}", java.time.Instant.parse("2026-11-01T00:00:00Z"), "clients/{\"id\":" + i + "}",
                    data));
        }
        try (Connection c = shop.connect()) {
            exec(c, "INSERT INTO graybridge.audit_outbox (bridge, events, bundle) VALUES (?, 2, ?)", bridge,
                    AuditBundle.packRendered(old.subList(0, 2)));
            AuditEvent plain = old.get(2);
            exec(c, "INSERT INTO graybridge.audit_outbox (bridge, event_id, type, channel, record_key, payload, events)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 1)", bridge, plain.id(), plain.type().type(), plain.type().channel().name(),
                    plain.recordKey(), plain.toJson());
        }
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run2.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> outboxWaiting() == 0 || !run.isAlive());
            assertThat(run.isAlive()).as("run 2 output:%n%s", run.output()).isTrue();
        }
        List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                got -> got.stream().filter(r -> r.event().path("id").asText().startsWith("pre-upgrade-")).count() >= 3, Duration.ofSeconds(60));
        for (AuditEvent e : old) {
            Received r = all.stream().filter(o -> o.event().path("id").asText().equals(e.id())).findFirst().orElseThrow();
            assertThat(r.value()).as("event %s byte for byte", e.id()).isEqualTo(e.toJsonBytes());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.recordKey());
        }
    }

    @Test
    void shouldReplayTheSameIdsWhenKilledWhileTheRelayIsMidBatch() throws Exception {
        Path config = config("auditkill", false, "  relay-batch-size: 20\n");
        Map<String, String> env = new HashMap<>(shop.env());
        // run 1: backfill and drain, then stop cleanly, so the halt below cannot fall into the snapshot
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run1.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> progress("v1-to-v2", "snapshot_rows") >= SEED && outboxPublished() >= SEED || !run.isAlive());
            assertThat(run.isAlive()).as("run 1 output:%n%s", run.output()).isTrue();
        }
        try (Connection c = shop.connect()) {
            for (int i = 0; i < 30; i++) {
                exec(c, "UPDATE shop_v1.customers SET balance_cents = balance_cents + 1 WHERE id = ?", 1L + i);
            }
        }
        // run 2: halts after Kafka acknowledged the relay's first round, before its rows are deleted
        env.put("GRAYBRIDGE_CRASHPOINT", "relay-after-send:1");
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run2.log"))) {
            assertThat(run.awaitExit(120)).as("run 2 output:%n%s", run.output()).isEqualTo(137);
        }
        List<Received> before = AuditConsumer.readAll(kafka.bootstrapServers(), topics());

        // the halted round: the oldest outbox rows, published (Kafka acknowledged them) but not deleted
        List<List<String>> rows = outboxIds();
        List<String> outbox = rows.stream().flatMap(List::stream).toList();
        java.util.Set<String> published = new java.util.HashSet<>();
        before.forEach(r -> published.add(r.event().path("id").asText()));
        List<String> unacknowledged = outbox.stream().filter(published::contains).toList();
        // a round takes the oldest rows (those committed when it read) until it holds relay-batch-size (20) events;
        // a row (a lane transaction's bundle) is never split: so the halted round is the first k whole rows, with
        // k no more than the rows that reach 20 events
        assertThat(unacknowledged).as("the halted round is still in the outbox").isNotEmpty();
        List<String> round = new ArrayList<>();
        int k = 0;
        while (round.size() < unacknowledged.size() && k < rows.size()) {
            round.addAll(rows.get(k++));
        }
        assertThat(unacknowledged).as("it is the oldest whole rows, in order (rows: %s)", rows).isEqualTo(round);
        int reach = 0;
        for (int events = 0; reach < rows.size() && events < 20; reach++) {
            events += rows.get(reach).size();
        }
        assertThat(k).as("no more rows than reach 20 events (rows: %s)", rows).isLessThanOrEqualTo(reach);
        env.remove("GRAYBRIDGE_CRASHPOINT");
        try (BridgeProcess run = BridgeProcess.run(config, env, shop.dir().resolve("run3.log"))) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> progress("v1-to-v2", "changes_applied") >= 30 && outboxWaiting() == 0 || !run.isAlive());
            assertThat(run.isAlive()).as("run 3 output:%n%s", run.output()).isTrue();
        }
        long expected = SEED + 30 + transitions();
        List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                got -> AuditConsumer.distinct(got) >= expected, Duration.ofSeconds(60));
        assertThat(AuditConsumer.distinct(all)).as("nothing missing").isEqualTo(expected);
        for (String id : unacknowledged) {
            assertThat(all.stream().filter(r -> r.event().path("id").asText().equals(id)).count())
                    .as("event %s, published before the halt, again after the restart with the same id", id)
                    .isGreaterThanOrEqualTo(2);
        }
        for (Received r : all) {
            Received first = all.stream().filter(o -> o.id().equals(r.id())).findFirst().orElseThrow();
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("a replay is the same event byte for byte")
                    .isEqualTo(new String(first.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldStopTheRelayWithinSecondsWhenKafkaIsUnreachable() throws Exception {
        Path config = config("auditstop", false, "");
        // nothing listens on port 9: the relay's admin client keeps retrying to create the topics
        Files.writeString(config, Files.readString(config).replace(kafka.bootstrapServers(), "127.0.0.1:9"));
        Bridge bridge = Bridge.open(ConfigLoader.load(config, shop.env()));
        long closed;
        try {
            bridge.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> outboxWaiting() >= SEED);
            await().atMost(Duration.ofSeconds(30)).until(() -> !auditClientThreads().isEmpty());
        } finally {
            long start = System.nanoTime();
            bridge.close();
            closed = System.nanoTime() - start;
        }
        assertThat(Duration.ofNanos(closed)).as("closing the bridge while its relay waits for an unreachable broker")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(auditClientThreads()).as("no relay or Kafka client of the relay outlives the bridge").isEmpty();
        assertThat(outboxWaiting()).as("nothing lost: the backfill's events (and the backfill -> dual move's, when made)"
                + " wait in the outbox").isEqualTo(SEED + transitions());
    }

    @Test
    void shouldStopTheRelayWithinSecondsWhenKafkaGoesAwayMidRunAndLoseNothing() throws Exception {
        Path config = config("auditgone", false, "");
        BridgeConfig cfg = ConfigLoader.load(config, shop.env());
        long closed;
        try {
            Bridge bridge = Bridge.open(cfg);
            try {
                bridge.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> outboxPublished() >= SEED);
                shop.awaitSlotsActive(1);
                kafka.stop();
                try (Connection c = shop.connect()) {
                    for (int i = 0; i < 50; i++) {
                        exec(c, "UPDATE shop_v1.customers SET balance_cents = balance_cents + 1 WHERE id = ?", 1L + i);
                    }
                }
                // the producer holds these: it waits for metadata or acknowledgements that cannot come
                await().atMost(Duration.ofSeconds(60)).until(() -> progress("v1-to-v2", "changes_applied") >= 50);
                await().atMost(Duration.ofSeconds(10)).until(() -> outboxWaiting() > 0);
            } finally {
                long start = System.nanoTime();
                bridge.close();
                closed = System.nanoTime() - start;
            }
        } finally {
            kafka.start();
        }
        assertThat(Duration.ofNanos(closed)).as("closing the bridge while its producer waits for a stopped broker")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(auditClientThreads()).as("no relay or Kafka client of the relay outlives the bridge").isEmpty();
        assertThat(outboxWaiting()).as("what Kafka did not acknowledge stays in the outbox").isPositive();
        try (Bridge again = Bridge.open(cfg)) {
            again.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> outboxWaiting() == 0);
        }
        long expected = SEED + 50 + transitions(); // + the backfill -> dual move, when the bridge made it
        List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics(),
                got -> AuditConsumer.distinct(got) >= expected, Duration.ofSeconds(60));
        assertThat(AuditConsumer.distinct(all)).as("every event arrived after the restart").isEqualTo(expected);
    }

    /** Live threads of an audit relay or of its Kafka admin client and producer (their client ids name the relay). */
    private static List<String> auditClientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("graybridge-audit-relay") || n.contains("| graybridge-audit-admin")
                        || n.contains("| graybridge-audit-" ) && n.startsWith("kafka-producer-network-thread"))
                .toList();
    }

    private static long count(List<Received> events, String lane, String operation) {
        return events.stream().filter(e -> e.type().endsWith("change.applied")
                && e.data().path("lane").asText().equals(lane)
                && e.data().path("operation").asText().equals(operation)).count();
    }

    private long progress(String lane, String column) {
        Side target = lane.equals("v1-to-v2") ? Side.V2 : Side.V1;
        try {
            return shop.count(target, "SELECT COALESCE(max(" + column + "), 0) FROM graybridge.lane_progress WHERE lane = '"
                    + lane + "'");
        } catch (IllegalStateException notYetCreated) {
            return 0;
        }
    }

    /** Conflicts recorded on both sides: one metadata schema, as both sides are one database. */
    private long conflicts() {
        return shop.count(Side.V1, "SELECT count(*) FROM graybridge.conflict_log");
    }

    private long outboxWaiting() {
        try {
            return shop.count("SELECT COALESCE(sum(events), 0) FROM graybridge.audit_outbox");
        } catch (IllegalStateException notYetCreated) {
            return 0;
        }
    }

    /** The ids of the events in the outbox, row by row in seq order (a bundle row holds a lane transaction's). */
    private List<List<String>> outboxIds() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = shop.connect();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT event_id, bundle FROM graybridge.audit_outbox ORDER BY seq")) {
            while (rs.next()) {
                byte[] bundle = rs.getBytes(2);
                rows.add(bundle == null ? List.of(rs.getString(1))
                        : AuditBundle.ids(bundle));
            }
        }
        return rows;
    }

    private long outboxPublished() {
        try {
            return shop.count("SELECT COALESCE(sum(published), 0) FROM graybridge.audit_relay_progress");
        } catch (IllegalStateException notYetCreated) {
            return 0;
        }
    }

    /** Steady v1 traffic: inserts and updates, one row per transaction. */
    private Thread startWriter() {
        Thread t = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(5);
            long nextId = 5000;
            try (Connection c = shop.connect()) {
                while (writing.get()) {
                    if (random.nextInt(3) == 0) {
                        exec(c, "INSERT INTO shop_v1.customers (id, name, email) VALUES (?, 'w', 'secret-w@mail.test')",
                                nextId++);
                    } else {
                        exec(c, "UPDATE shop_v1.customers SET balance_cents = balance_cents + 1 WHERE id = ?",
                                1L + random.nextInt(SEED));
                    }
                    changes.incrementAndGet();
                    Thread.sleep(4);
                }
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        }, "v1-writer");
        t.start();
        return t;
    }
}
