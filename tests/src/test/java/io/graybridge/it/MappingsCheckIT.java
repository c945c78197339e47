package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.MappingExamplesFixture;
import io.graybridge.it.support.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code graybridge mappings check} on real PostgreSQL: the example of every rule, a clean mapping, a broken one. */
class MappingsCheckIT {

    private static BridgeProcess check(MappingExamplesFixture f, Path config, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("mappings", "check", "-c", config.toString()));
        args.addAll(List.of(extra));
        return BridgeProcess.start(args, f.env(), f.dir().resolve("check.log"));
    }

    @Test
    void shouldCheckEveryRuleOfTheExamplesAndListTheColumnsThatCannotRoundTrip() throws Exception {
        try (MappingExamplesFixture f = MappingExamplesFixture.examples("mapcheck")) {
            f.execute("""
                    INSERT INTO examples_v1.customers (id, name, email, status, vip, balance_cents, created_at, street, city)
                        VALUES (1, 'Ada Lovelace', 'ada@example.com', 'A', true, 1250, '2026-01-02 10:00', '1 Main St', 'Paris'),
                               (2, 'Alan Turing', NULL, 'I', false, 0, '2026-07-01 12:30', NULL, NULL);
                    INSERT INTO examples_v2.customers (id, first_name, last_name, email, status, vip, balance, created_at)
                        VALUES (1, 'Ada', 'Lovelace', 'ada@example.com', 'active', 'Y', 12.50, '2026-01-02 09:00Z');
                    INSERT INTO examples_v1.products VALUES (1, 'Mug', 899, 'red', 'M', 0, 42);
                    INSERT INTO examples_v1.stores VALUES (1, '1 Main St', 'Paris', '{"open_sundays": true, "manager": "Bo"}', now());
                    """);
            Path config = f.writeConfig("examples_v1", "examples_v2", RepoPaths.config().resolve("mappings/examples.yaml"),
                    "customers, products, stores, accounts, audit_log");

            BridgeProcess run = check(f, config, "--cases", "150", "--sample", "10");
            assertThat(run.awaitExit(120)).as(run.output()).isEqualTo(1);
            String out = run.output();
            assertThat(out)
                    .contains("mapping customers->customers: v1 customers <-> v2 customers")
                    .contains("split of v1 customers into customers + customer_addresses (deletes owned by customers)")
                    .contains("mapping customers->customer_addresses: v1 customers <-> v2 customer_addresses")
                    .contains("mapping accounts->accounts", "mapping account_settings->accounts")
                    .contains("merge of v2 accounts into accounts + account_settings")
                    .contains("mapping products:", "mapping stores:", "mapping audit_log:")
                    .contains("translator 'identity'")
                    .contains("map status <-> status 'A'->'active', 'I'->'inactive', unmapped: error")
                    .contains("one-way: compute display_name")
                    .contains("generated rows            150          150")
                    .containsPattern("sampled rows\\s+2\\s+1")
                    .contains("cannot round-trip:")
                    .doesNotContain("\tat ")
                    .contains("7 mappings checked: 3 clean, 4 with columns that cannot round-trip, 0 invalid.");
            // the operator's decisions, each with an example value
            assertThat(out).containsPattern("status\\s+v1->v2->v1\\s+generated\\s+'.*is not in the value map");
            assertThat(out).containsPattern("first_name\\s+v2->v1->v2\\s+generated");
            assertThat(out).containsPattern("balance\\s+v1-to-v2 \\(type\\)\\s+generated\\s+gives -?92233720368547758\\.0[78]");
            assertThat(out).containsPattern("created_at\\s+v1->v2->v1\\s+generated\\s+2026-03-29T02:30: .*does not exist in Europe/Paris");
            assertThat(out).doesNotContain("tier    ").doesNotContain("legacy_code   v1->v2->v1");
            assertThat(out).contains("audit_log").containsPattern("mapping audit_log:[^\\n]*\\n(.*\\n)*?  every column round-trips");
        }
    }

    @Test
    void shouldExitZeroWhenEveryColumnRoundTrips() throws Exception {
        try (MappingExamplesFixture f = MappingExamplesFixture.create("mapclean", """
                CREATE SCHEMA a;
                CREATE TABLE a.people (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL, born timestamptz);
                INSERT INTO a.people VALUES (1, 'Ada', true, now());
                """, """
                CREATE SCHEMA b;
                CREATE TABLE b.persons (id bigint PRIMARY KEY, full_name text NOT NULL, active boolean NOT NULL,
                    born timestamp, tier text NOT NULL DEFAULT 'x');
                """)) {
            Path mapping = f.dir().resolve("people.yaml");
            Files.writeString(mapping, """
                    tables:
                      - v1: people
                        v2: persons
                        columns:
                          - v1: name
                            v2: full_name
                          - v1: born
                            convert: timestamptz-to-timestamp
                            zone: UTC
                          - v2: tier
                            default: standard
                    """);
            BridgeProcess run = check(f, f.writeConfig("a", "b", mapping, "people"));
            assertThat(run.awaitExit(120)).as(run.output()).isZero();
            assertThat(run.output())
                    .contains("every column round-trips")
                    .contains("not carried to the other side (kept as they are on v2): tier")
                    .contains("1 mapping checked: 1 clean, 0 with columns that cannot round-trip, 0 invalid.");
        }
    }

    @Test
    void shouldExitTwoWhenAMappingDoesNotFitTheSchemas() throws Exception {
        try (MappingExamplesFixture f = MappingExamplesFixture.create("mapbad", """
                CREATE SCHEMA a;
                CREATE TABLE a.people (id bigint PRIMARY KEY, name text NOT NULL);
                """, """
                CREATE SCHEMA b;
                CREATE TABLE b.persons (pid bigint PRIMARY KEY, full_name text NOT NULL, nick text NOT NULL);
                """)) {
            Path mapping = f.dir().resolve("people.yaml");
            Files.writeString(mapping, """
                    tables:
                      - v1: people
                        v2: persons
                        columns:
                          - v1: nam
                            v2: full_name
                    """);
            BridgeProcess run = check(f, f.writeConfig("a", "b", mapping, "people"));
            assertThat(run.awaitExit(120)).as(run.output()).isEqualTo(2);
            assertThat(run.output())
                    .contains("INVALID:")
                    .contains("v1 table a.people has no column 'nam'")
                    .contains("1 mapping checked: 0 clean, 0 with columns that cannot round-trip, 1 invalid.")
                    .doesNotContain("\tat ");
        }
    }
}
