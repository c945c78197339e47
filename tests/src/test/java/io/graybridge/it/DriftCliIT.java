package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.cli.GrayBridgeCli;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.MetadataSchema;
import io.graybridge.it.support.AuditConsumer;
import io.graybridge.it.support.DriftFixture;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code graybridge drift} and {@code graybridge repair} as an operator runs them (in process). */
class DriftCliIT {
    private ShopFixture shop;
    private Path config;

    @BeforeEach
    void createShop() {
        shop = ShopFixture.create("driftcli");
        DriftFixture.seed(shop, 500);
        config = DriftFixture.config(shop, "report:\n  masked-columns: [customers.email]\n");
    }

    @AfterEach
    void dropShop() {
        shop.close();
    }

    record Run(int exit, String out, String err) {}

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        int exit = GrayBridgeCli.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private void plant() {
        shop.execute("DELETE FROM shop_v2.clients WHERE id = 10");
        shop.execute("UPDATE shop_v2.clients SET email = 'leaked@example.com' WHERE id = 20");
        shop.execute("UPDATE shop_v2.orders SET total = total + 1 WHERE id = 7");
    }

    @Test
    void shouldExitZeroAndSayCleanWhenBothSidesAgree() {
        Run r = cli("drift", "-c", config.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("customers -> clients", "orders -> orders", "pushdown", "CLEAN: 2 table(s), 1,500 keys compared");
    }

    @Test
    void shouldExitOneAndDescribeTheDriftInEachFormatWithMaskedColumns() throws Exception {
        plant();
        Run table = cli("drift", "-c", config.toString(), "--samples", "3");
        assertThat(table.exit()).as(table.out() + table.err()).isEqualTo(1);
        assertThat(table.out())
                .contains("missing on v2  {id=10}")
                .contains("mismatched     {id=20}  email: v1->v2 **** | v2 ****")
                .contains("mismatched     {id=7}  total: v1->v2 0.21 | v2 1.21")
                .contains("DRIFT: 2 of 2 table(s) differ: 1 missing on v2, 0 extra on v2, 2 mismatched")
                .doesNotContain("leaked@example.com", "c20@example.com");

        Run json = cli("drift", "-c", config.toString(), "--format", "json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("verdict").asText()).isEqualTo("drift");
        JsonNode customers = root.get("tables").get(0);
        assertThat(customers.get("missingOnV2").asLong()).isEqualTo(1);
        assertThat(customers.get("mismatchedColumns").get("email").asLong()).isEqualTo(1);
        assertThat(customers.get("path").asText()).isEqualTo("pushdown");
        assertThat(json.out()).doesNotContain("leaked@example.com");

        Run markdown = cli("drift", "-c", config.toString(), "--format", "markdown", "--table", "orders");
        assertThat(markdown.exit()).isEqualTo(1);
        assertThat(markdown.out()).contains("## GrayBridge drift report", "| table | v1 rows |", "### orders → orders",
                "| mismatched | `{id=7}` | total | `0.21` | `1.21` |");
        assertThat(markdown.out()).doesNotContain("clients");
    }

    @Test
    void shouldExitTwoWithTheReasonWhenATableCannotBeChecked() {
        Run unknown = cli("drift", "-c", config.toString(), "--table", "nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("could not check", "no table 'nope'");

        shop.execute("DROP TABLE shop_v2.orders");
        Run missing = cli("drift", "-c", config.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).contains("COULD NOT CHECK: orders -> orders: table shop_v2.orders does not exist");
        assertThat(missing.out() + missing.err()).doesNotContain("\tat ");
    }

    @Test
    void shouldAuditEachRepairTransactionInThatTransactionSoAFailedOneLeavesNeitherRowsNorEvent() throws Exception {
        // audit on (nobody relays during this test: the events stay in the outbox for it to read)
        Path audited = DriftFixture.config(shop, "report:\n  masked-columns: [customers.email]\n"
                + "audit:\n  bootstrap-servers: 127.0.0.1:9\n");
        plant();
        // 600 rows only v2 has: deleted by the repair in two transactions (500 changes each at most)
        shop.execute("INSERT INTO shop_v2.clients (id, full_name, email, balance, status, tier, created_at)"
                + " SELECT g, 'ghost', 'g' || g || '@example.com', 0, 'A', 'standard', timestamp '2026-01-01'"
                + " FROM generate_series(100001, 100600) g");

        Run noOutbox = cli("repair", "-c", audited.toString(), "--from", "v1");
        assertThat(noOutbox.exit()).as(noOutbox.out() + noOutbox.err()).isEqualTo(2);
        assertThat(noOutbox.err()).contains("audit is on, but v2 has no audit outbox yet", "graybridge run -c",
                "Nothing was changed").doesNotContain("\tat ");
        assertThat(shop.count("SELECT count(*) FROM shop_v2.clients WHERE id > 100000")).isEqualTo(600);

        BridgeConfig cfg = ConfigLoader.load(audited, System.getenv());
        try (SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            MetadataSchema.migrate(v2, cfg.metadataSchema()); // what the bridge's first start does
        }
        // the second transaction fails (a trigger refuses one of its deletes): it must leave no rows and no event
        shop.execute("CREATE FUNCTION shop_v2.refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$");
        shop.execute("CREATE TRIGGER refuse BEFORE DELETE ON shop_v2.clients FOR EACH ROW WHEN (OLD.id = 100550)"
                + " EXECUTE FUNCTION shop_v2.refuse()");
        Run failed = cli("repair", "-c", audited.toString(), "--from", "v1");
        assertThat(failed.exit()).as(failed.out() + failed.err()).isEqualTo(3);
        assertThat(failed.err()).contains("refused by the test", "rolled back");
        List<JsonNode> events = repairEvents();
        assertThat(events).as("one event: the committed transaction's").hasSize(1);
        JsonNode first = events.get(0).path("data");
        assertThat(first.path("transaction").asInt()).isEqualTo(1);
        assertThat(first.path("tables").get(0).toString())
                .isEqualTo("{\"table\":\"clients\",\"inserted\":1,\"updated\":1,\"deleted\":498}");
        assertThat(first.path("changes")).hasSize(500);
        assertThat(first.path("changes").get(0).toString()).isEqualTo("{\"operation\":\"insert\",\"key\":{\"id\":10}}");
        assertThat(first.path("changes").get(499).toString())
                .isEqualTo("{\"operation\":\"delete\",\"key\":{\"id\":100498}}");
        assertThat(shop.count("SELECT count(*) FROM shop_v2.clients WHERE id > 100000"))
                .as("exactly the audited deletes were committed").isEqualTo(102);

        shop.execute("DROP TRIGGER refuse ON shop_v2.clients");
        Run repair = cli("repair", "-c", audited.toString(), "--from", "v1");
        assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("REPAIRED: 103 change(s) made on v2 from v1");
        assertThat(cli("drift", "-c", audited.toString()).exit()).isZero();
        events = repairEvents();
        assertThat(events).hasSize(3);
        assertThat(events.stream().map(e -> e.path("data").path("tables").get(0).toString()).toList()).containsExactly(
                "{\"table\":\"clients\",\"inserted\":1,\"updated\":1,\"deleted\":498}",
                "{\"table\":\"clients\",\"inserted\":0,\"updated\":0,\"deleted\":102}",
                "{\"table\":\"orders\",\"inserted\":0,\"updated\":1,\"deleted\":0}");
        assertThat(events.get(1).path("data").path("run").asText()).as("one run id per repair run")
                .isEqualTo(events.get(2).path("data").path("run").asText())
                .isNotEqualTo(first.path("run").asText());
        assertThat(events.stream().map(e -> e.path("id").asText()).distinct()).hasSize(3);
        AuditConsumer.Schemas schemas = new AuditConsumer.Schemas();
        for (JsonNode e : events) {
            assertThat(e.path("type").asText()).isEqualTo("io.graybridge.repair.applied");
            assertThat(e.path("subject").asText()).isEqualTo("repair/v2");
            assertThat(schemas.problems(e)).as("event %s", e).isEmpty();
            assertThat(e.toString()).doesNotContain("@example.com");
        }
    }

    /** The repair events waiting in v2's outbox, in order. */
    private List<JsonNode> repairEvents() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String payload : shop.rows(Side.V2, "SELECT payload FROM graybridge.audit_outbox"
                + " WHERE type = 'io.graybridge.repair.applied' ORDER BY seq")) {
            out.add(json.readTree(payload));
        }
        return out;
    }

    @Test
    void shouldPrintTheRepairInDryRunThenRepairSoThatDriftIsZero() {
        plant();
        Run dry = cli("repair", "-c", config.toString(), "--from", "v1", "--dry-run");
        assertThat(dry.exit()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("would insert shop_v2.clients {id=10} set {id=10, full_name='Customer 10', email=****",
                "would update shop_v2.orders {id=7} set {total=0.21}", "DRY RUN: 3 change(s)");
        assertThat(cli("drift", "-c", config.toString()).exit()).as("dry run changes nothing").isEqualTo(1);

        Run repair = cli("repair", "-c", config.toString(), "--from", "v1");
        assertThat(repair.exit()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("REPAIRED: 3 change(s) made on v2 from v1");
        Run after = cli("drift", "-c", config.toString());
        assertThat(after.exit()).as(after.out()).isZero();
    }
}
