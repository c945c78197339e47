package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.demo.EmbeddedKafka;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.it.support.AuditConsumer;
import io.graybridge.it.support.AuditConsumer.Received;
import io.graybridge.it.support.EngineShop;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.mapping.Side;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit trail with a MariaDB side, parameterised by engine pair: the outbox on each target (MariaDB or
 * PostgreSQL) and the lifecycle events on v1 reach Kafka, one valid event per applied change, masked.
 * The broker is a real KRaft broker in this JVM. ({@code AuditIT} covers outages, crashes and order on PostgreSQL.)
 */
class EngineAuditIT {
    private static EmbeddedKafka kafka;

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

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.MARIADB), new Engines(Engine.MARIADB, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldPublishOneValidMaskedEventPerAppliedChangeFromEveryOutbox(Engines engines) throws Exception {
        try (EngineShop shop = EngineShop.create("eaudit", engines)) {
            String topic = shop.bridgeName().replace('-', '_');
            List<String> topics = List.of(topic + ".changes", topic + ".conflicts", topic + ".lifecycle");
            BridgeConfig cfg = ConfigLoader.load(shop.writeConfig(true, "report:\n  masked-columns: [customers.email,"
                    + " clients.email]\naudit:\n  bootstrap-servers: " + kafka.bootstrapServers() + "\n  topics: {changes: "
                    + topics.get(0) + ", conflicts: " + topics.get(1) + ", lifecycle: " + topics.get(2) + "}\n"
                    + "  topic-partitions: 2\n  topic-replication-factor: 1\n  masking: hash\n  hash-salt: it-salt\n"),
                    shop.env());
            String customers = shop.table(Side.V1, "customers");
            String clients = shop.table(Side.V2, "clients");
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                for (Lane lane : bridge.lanes()) {
                    await().atMost(Duration.ofSeconds(90)).until(() -> lane.isStreaming() || lane.state() != Lane.State.RUNNING);
                    assertThat(lane.state()).as("lane %s: %s", lane.name(), lane.failure()).isEqualTo(Lane.State.RUNNING);
                }
                // the bridge's own backfill -> dual move appends a phase.changed event: let it happen before the
                // outbox is drained and counted (it came after the drain once, and the bridge closed before relaying it)
                await().atMost(Duration.ofSeconds(30)).until(() -> bridge.phase() == Phase.DUAL);
                shop.insertCustomers(1, 40);
                shop.execute(Side.V1, "UPDATE " + customers + " SET email = CONCAT('secret-', id, '@mail.test')"
                        + " WHERE id BETWEEN 1 AND 15");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        shop.count(Side.V2, "SELECT count(*) FROM " + clients + " WHERE email LIKE 'secret-%'") == 15);
                shop.execute(Side.V2, "UPDATE " + clients + " SET full_name = 'from v2' WHERE id = 3");
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        shop.count(Side.V1, "SELECT count(*) FROM " + customers + " WHERE name = 'from v2'") == 1);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        Outbox.sides(cfg).stream().allMatch(s -> Outbox.backlog(bridge.side(s), cfg.metadataSchema(),
                                cfg.name()).waiting() == 0));
            }
            long forward = shop.progress(Side.V2, "v1-to-v2", "changes_applied");
            long backward = shop.progress(Side.V1, "v2-to-v1", "changes_applied");
            assertThat(forward).isEqualTo(40 + 15);
            assertThat(backward).isEqualTo(1);
            long phaseMoves = shop.count(Side.V1, "SELECT count(*) FROM " + shop.metadataSchema()
                    + ".phase_transition WHERE status = 'done'");
            long expected = forward + backward + phaseMoves;

            List<Received> all = AuditConsumer.readUntil(kafka.bootstrapServers(), topics,
                    got -> AuditConsumer.distinct(got) >= expected, Duration.ofSeconds(60));
            List<Received> events = AuditConsumer.dedup(all);
            assertThat(events).as("one event per applied change and per phase move").hasSize((int) expected);
            assertThat(events.stream().filter(e -> e.type().endsWith("change.applied")).count()).isEqualTo(forward + backward);
            assertThat(events.stream().filter(e -> e.type().endsWith("phase.changed")).count()).isEqualTo(phaseMoves);
            AuditConsumer.Schemas schemas = new AuditConsumer.Schemas();
            for (Received e : events) {
                assertThat(schemas.problems(e.event())).as("event %s", e.event()).isEmpty();
            }
            for (Received r : all) {
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).as("masked email in clear").doesNotContain("secret-");
            }
            assertThat(events.stream().filter(e -> e.data().path("after").path("email").asText().startsWith("sha256:")).count())
                    .as("the 15 email updates carry the hash").isGreaterThanOrEqualTo(15);
        }
    }
}
