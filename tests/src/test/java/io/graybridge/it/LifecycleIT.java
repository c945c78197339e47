package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.it.support.AuditConsumer;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gray-release lifecycle against a real PostgreSQL: {@code promote}, {@code rollback} and {@code finalize}
 * through the gate, forced overrides in the journal and the audit outbox, a crash between a transition's two
 * transactions, a restart that resumes the phase, and finalize stopping the lanes and removing the bridge's
 * objects.
 */
class LifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShopFixture shop;
    private String bridgeName;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("lifecycle");
        bridgeName = Cli.bridgeName(shop);
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    private String phase() {
        return shop.rows(Side.V1, "SELECT phase FROM graybridge.bridge_state WHERE bridge = '" + bridgeName + "'").get(0);
    }

    /** The phase.changed events in v1's outbox, oldest first. */
    private List<JsonNode> phaseEvents() throws Exception {
        List<String> rows = shop.rows(Side.V1, "SELECT payload FROM graybridge.audit_outbox"
                + " WHERE type = 'io.graybridge.phase.changed' ORDER BY seq");
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String r : rows) {
            out.add(JSON.readTree(r));
        }
        return out;
    }

    @Test
    void shouldMoveThePhaseOnlyThroughItsGateAndJournalAndAuditEveryMoveIncludingOneCutShortByACrash() throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) SELECT g, 'c' || g, g"
                + " FROM generate_series(1, 200) g");
        Path yaml = shop.writeTwoWayConfig("primary-wins", "");
        // audit on, with no broker to publish to: the outbox keeps every event for this test to read
        Files.writeString(yaml, Files.readString(yaml) + "audit:\n  bootstrap-servers: 127.0.0.1:9\n");
        BridgeConfig cfg = ConfigLoader.load(yaml, shop.env());
        String c = Cli.withInlinePassword(shop, yaml, "lifecycle.yaml", "gate:\n  max-lag-seconds: 5\n").toString();
        AuditConsumer.Schemas schemas = new AuditConsumer.Schemas();

        try (Bridge bridge = Bridge.open(cfg)) {
            assertThat(phase()).as("a fresh bridge starts in backfill").isEqualTo("backfill");
            Cli.Run early = Cli.run("promote", "-c", c);
            assertThat(early.exit()).as(early.toString()).isEqualTo(2);
            assertThat(early.err()).contains("cannot promote: the release is in phase 'backfill'", "becomes 'dual' by itself");

            bridge.start();
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("dual"));
            assertThat(shop.rows(Side.V1, "SELECT command, from_phase, to_phase, status, actor FROM graybridge.phase_transition"))
                    .containsExactly("backfill-done|backfill|dual|done|graybridge");
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") == 200);

            // the gate fails without a drift result: the phase stays, exit 1
            Cli.Run failed = Cli.run("promote", "-c", c);
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.out()).startsWith("gate promote: FAIL\n").contains("no drift result");
            assertThat(failed.err()).contains("the phase stays dual: the promote gate did not pass (fail)", "--force --reason");
            assertThat(phase()).isEqualTo("dual");

            Cli.Run noReason = Cli.run("promote", "-c", c, "--force");
            assertThat(noReason.exit()).as(noReason.toString()).isEqualTo(2);
            assertThat(noReason.err()).startsWith("error: --force needs --reason TEXT");
            assertThat(phase()).isEqualTo("dual");

            // a promote that crashes after its journal row: the phase has not moved, the journal says so
            Cli.Run drift = Cli.run("drift", "-c", c);
            assertThat(drift.exit()).as(drift.toString()).isZero();
            Map<String, String> env = new HashMap<>(shop.env());
            env.put("GRAYBRIDGE_CRASHPOINT", "lifecycle-after-journal:1");
            Path log = shop.dir().resolve("crashed-promote.log");
            BridgeProcess crashed = BridgeProcess.start(List.of("promote", "-c", yaml.toString()), env, log);
            assertThat(crashed.awaitExit(120)).as(crashed.output()).isEqualTo(137);
            assertThat(crashed.output()).contains("gate promote: PASS");
            assertThat(phase()).isEqualTo("dual");
            assertThat(shop.rows(Side.V1, "SELECT command, from_phase, to_phase, status, forced FROM graybridge.phase_transition"
                    + " WHERE command = 'promote'")).containsExactly("promote|dual|promoted|pending|f");
            assertThat(phaseEvents()).as("no event for a move that did not happen").hasSize(1);

            Cli.Run other = Cli.run("rollback", "-c", c);
            assertThat(other.exit()).as(other.toString()).isEqualTo(2);
            assertThat(other.err()).contains("an unfinished promote (dual -> promoted)", "run `graybridge promote -c FILE`");
            Cli.Run pendingStatus = Cli.run("status", "-c", c, "--sample-seconds", "0");
            assertThat(pendingStatus.out()).contains("UNFINISHED: promote (dual -> promoted)");

            Cli.Run completed = Cli.run("promote", "-c", c);
            assertThat(completed.exit()).as(completed.toString()).isZero();
            assertThat(completed.out()).contains("completing the unfinished promote (dual -> promoted)", "(gate PASS)",
                    "phase: dual -> promoted (transition");
            assertThat(phase()).isEqualTo("promoted");
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.phase() == Phase.PROMOTED);

            Cli.Run again = Cli.run("promote", "-c", c);
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.out()).contains("is already promoted (since").doesNotContain("gate promote");

            List<JsonNode> events = phaseEvents();
            assertThat(events).hasSize(2);
            JsonNode promoted = events.get(1);
            assertThat(schemas.problems(promoted)).as(promoted.toString()).isEmpty();
            JsonNode data = promoted.get("data");
            assertThat(data.get("from").asText()).isEqualTo("dual");
            assertThat(data.get("to").asText()).isEqualTo("promoted");
            assertThat(data.get("forced").asBoolean()).isFalse();
            assertThat(data.get("gateVerdict").asText()).isEqualTo("pass");
            assertThat(data.get("actor").asText()).isEqualTo(System.getProperty("user.name"));
            assertThat(data.get("host").asText()).isNotBlank();
            assertThat(data.get("gateEventId").asText()).as("the gate decision that allowed it").isEqualTo(shop.rows(Side.V1,
                    "SELECT decision_id FROM graybridge.gate_decision WHERE action = 'promote'").get(0));

            // a forced rollback while the gate fails (an open dead letter): recorded with its reason
            shop.execute(Side.V1, "INSERT INTO graybridge.dead_letter (bridge, lane, source_table, row_key, op, reason,"
                    + " policy, status) VALUES ('" + bridgeName + "', 'v1-to-v2', 'customers', '{id=1}', 'UPDATE',"
                    + " 'failed', 'pause', 'open')");
            Cli.Run refused = Cli.run("rollback", "-c", c);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).contains("FAIL    dead-letters 1 dead letter(s) (limit 0)");
            Cli.Run forced = Cli.run("rollback", "-c", c, "--force", "--reason", "drill: incident 42");
            assertThat(forced.exit()).as(forced.toString()).isZero();
            System.out.println("forced rollback:\n" + forced); // the README's sample
            assertThat(forced.out()).contains("overridden with --force", "phase: promoted -> rolled-back FORCED");
            assertThat(phase()).isEqualTo("rolled-back");
            JsonNode rolledBack = phaseEvents().get(2);
            assertThat(schemas.problems(rolledBack)).as(rolledBack.toString()).isEmpty();
            assertThat(rolledBack.get("data").get("forced").asBoolean()).isTrue();
            assertThat(rolledBack.get("data").get("reason").asText()).isEqualTo("drill: incident 42");
            assertThat(rolledBack.get("data").get("gateVerdict").asText()).isEqualTo("fail");
            assertThat(rolledBack.get("data").get("from").asText()).isEqualTo("promoted");
            assertThat(shop.rows(Side.V1, "SELECT forced, reason, gate_verdict FROM graybridge.phase_transition"
                    + " WHERE command = 'rollback'")).containsExactly("t|drill: incident 42|fail");
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.phase() == Phase.ROLLED_BACK);

            // status, both formats: phase and its last move, lanes, dead letters, outbox, drift, gate
            Cli.Run json = Cli.run("status", "-c", c, "--format", "json", "--sample-seconds", "0");
            assertThat(json.exit()).as(json.toString()).isZero();
            JsonNode s = json.json();
            assertThat(s.get("phase").asText()).isEqualTo("rolled-back");
            JsonNode last = s.get("phase_detail").get("last_transition");
            assertThat(last.get("forced").asBoolean()).isTrue();
            assertThat(last.get("reason").asText()).isEqualTo("drill: incident 42");
            assertThat(s.get("phase_detail").get("since").asText()).isNotBlank();
            assertThat(s.get("phase_detail").get("unfinished_transition").isNull()).isTrue();
            assertThat(s.get("lanes")).hasSize(2).allSatisfy(l -> {
                assertThat(l.get("state").asText()).isEqualTo("streaming");
                assertThat(l.has("lag_seconds") && l.has("changes_per_second") && l.has("echoes_suppressed")
                        && l.has("conflicts") && l.has("position")).isTrue();
            });
            assertThat(s.get("dead_letters_open").asLong()).isEqualTo(1);
            assertThat(s.get("audit").get("outbox").get("v1").get("waiting").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(s.get("audit").get("outbox").get("v1").get("oldest_age_seconds").asDouble()).isPositive();
            assertThat(s.get("last_drift").get("verdict").asText()).isEqualTo("clean");
            assertThat(s.get("last_drift").get("age_seconds").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(s.get("last_gate_decision").get("action").asText()).isEqualTo("rollback");
            assertThat(s.get("last_gate_decision").get("verdict").asText()).isEqualTo("fail");

            Cli.Run table = Cli.run("status", "-c", c, "--sample-seconds", "0");
            assertThat(table.exit()).as(table.toString()).isZero();
            System.out.println("status after a forced rollback:\n" + table.out()); // the README's sample
            assertThat(table.out()).contains("phase rolled-back since", "last move: promoted -> rolled-back by",
                    "FORCED: drill: incident 42", "legal next steps: graybridge finalize (to finalized) or graybridge promote",
                    "streaming", "dead letters: 1 open", "audit outbox on v1:", "last drift result: CLEAN",
                    "last gate decision: rollback FAIL");
            Cli.Run watch = Cli.run("status", "-c", c, "--sample-seconds", "0", "--watch", "1", "--count", "2");
            assertThat(watch.exit()).as(watch.toString()).isZero();
            assertThat(watch.out().split("bridge " + bridgeName + ", phase rolled-back", -1)).as("two snapshots, one after the other")
                    .hasSize(3);

            // finalize needs the rollback gate here: it fails on the dead letter, and the phase stays
            Cli.Run notFinal = Cli.run("finalize", "-c", c);
            assertThat(notFinal.exit()).as(notFinal.toString()).isEqualTo(1);
            assertThat(notFinal.out()).startsWith("gate rollback: FAIL");
            assertThat(phase()).isEqualTo("rolled-back");
        }
    }

    @Test
    void shouldResumeThePhaseAfterARestartAndStopTheLanesWhenFinalizedThenRemoveOnlyTheBridgeObjects() throws Exception {
        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) SELECT g, 'c' || g, g"
                + " FROM generate_series(1, 100) g");
        Path yaml = shop.writeTwoWayConfig("primary-wins", "");
        String c = Cli.withInlinePassword(shop, yaml, "lifecycle.yaml", "gate:\n  max-lag-seconds: 5\n").toString();
        BridgeProcess first = BridgeProcess.run(yaml, shop.env(), shop.dir().resolve("run-1.log"));
        try {
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(60)).until(() -> shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients") == 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> phase().equals("dual"));
            assertThat(Cli.run("drift", "-c", c).exit()).isZero();
            Cli.Run promoted = Cli.run("promote", "-c", c);
            assertThat(promoted.exit()).as(promoted.toString()).isZero();
            first.kill();
        } finally {
            first.close();
        }

        BridgeProcess second = BridgeProcess.run(yaml, shop.env(), shop.dir().resolve("run-2.log"));
        try {
            shop.awaitSlotsActive(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> second.output().contains("in phase promoted"));
            assertThat(second.output()).contains("running lanes [v1-to-v2, v2-to-v1] in phase promoted");
            // promoted: the v2-to-v1 lane keeps v1 ready, the v1-to-v2 lane drains what v1 still writes
            shop.execute(Side.V2, "UPDATE shop_v2.clients SET full_name = 'written on v2' WHERE id = 7");
            shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'written on v1' WHERE id = 8");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers WHERE name = 'written on v2'") == 1
                            && shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE full_name = 'written on v1'") == 1);
            Cli.Run status = Cli.run("status", "-c", c, "--format", "json", "--sample-seconds", "0");
            assertThat(status.json().get("phase").asText()).isEqualTo("promoted");

            Cli.Run finalized = Cli.run("finalize", "-c", c, "--reconcile");
            assertThat(finalized.exit()).as(finalized.toString()).isZero();
            System.out.println("finalize:\n" + finalized); // the README's sample
            assertThat(finalized.out()).startsWith("gate promote: PASS").contains("CLEAN: 2 table(s)",
                    "phase: promoted -> finalized",
                    "lanes stopped", "--drop-bridge-objects` removes them");
            assertThat(second.awaitExit(60)).as("the running bridge stops by itself: " + second.output()).isZero();
            assertThat(second.output()).contains("is finalized: both lanes stopped");
        } finally {
            second.close();
        }
        // nothing is captured any more
        shop.execute(Side.V1, "UPDATE shop_v1.customers SET name = 'after finalize' WHERE id = 9");

        BridgeProcess refused = BridgeProcess.run(yaml, shop.env(), shop.dir().resolve("run-3.log"));
        assertThat(refused.awaitExit(60)).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("error: bridge '" + bridgeName + "' was finalized at",
                "its lanes stay stopped").doesNotContain("\tat ");
        Cli.Run status = Cli.run("status", "-c", c, "--sample-seconds", "0");
        assertThat(status.out()).contains("phase finalized since").containsPattern("v1-to-v2 +stopped");

        Cli.Run drop = Cli.run("finalize", "-c", c, "--drop-bridge-objects");
        assertThat(drop.exit()).as(drop.toString()).isZero();
        System.out.println("drop:\n" + drop); // the README's sample
        String db = shop.database();
        assertThat(drop.out()).contains("is already finalized", "removed replication slot " + db + "_v1",
                "removed replication slot " + db + "_v2", "removed publication " + db + "_v1",
                "removed publication " + db + "_v2", "removed metadata schema graybridge");
        assertThat(shop.count(Side.V1, "SELECT count(*) FROM pg_replication_slots WHERE database = '" + db + "'")).isZero();
        assertThat(shop.count(Side.V1, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(shop.count(Side.V1, "SELECT count(*) FROM pg_namespace WHERE nspname = 'graybridge'")).isZero();
        assertThat(shop.count(Side.V1, "SELECT count(*) FROM shop_v1.customers")).as("application data stays").isEqualTo(100);
        assertThat(shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients")).isEqualTo(100);
        assertThat(shop.count(Side.V2, "SELECT count(*) FROM shop_v2.clients WHERE full_name = 'after finalize'")).isZero();
    }
}
