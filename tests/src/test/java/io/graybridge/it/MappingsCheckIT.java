package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.TypeRows;
import io.graybridge.mapping.Side;
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

    /**
     * A MariaDB v1 and a PostgreSQL v2 whose columns pass unchanged (identity mapping): each pair of types that
     * cannot carry every value there and back is LOSSY, with the table, the column, both types and why; the exact
     * pairs are not.
     */
    @Test
    void shouldReportLossyTypePairsBetweenMariaDbAndPostgres() throws Exception {
        try (TypeRows f = TypeRows.create("maptypes", new Engines(Engine.MARIADB, Engine.POSTGRESQL))) {
            f.execute(Side.V1, "CREATE TABLE lossy_pairs (id BIGINT PRIMARY KEY, dt DATETIME(6), big BIGINT UNSIGNED,"
                    + " tags SET('a','b'), name VARCHAR(50) CHARACTER SET latin1, ok_dt DATETIME(6), ok_big BIGINT UNSIGNED,"
                    + " ok_flag TINYINT(1))");
            f.execute(Side.V2, "CREATE TABLE " + f.schema(Side.V2) + ".lossy_pairs (id bigint PRIMARY KEY, dt timestamp(3),"
                    + " big bigint, tags varchar(100), name text, ok_dt timestamp(6), ok_big numeric(20), ok_flag boolean)");
            f.execute(Side.V1, "INSERT INTO lossy_pairs VALUES (1, '2024-01-02 03:04:05.123456', 18446744073709551615,"
                    + " 'a,b', 'Zoë', '2024-01-02 03:04:05.123456', 18446744073709551615, 1)");
            Path config = f.writeConfig(false, "pause", "type_rows, lossy_pairs");
            List<String> args = List.of("mappings", "check", "-c", config.toString(), "--cases", "50", "--sample", "5");
            BridgeProcess run = BridgeProcess.start(args, f.env(), f.dir().resolve("check.log"));
            assertThat(run.awaitExit(120)).as(run.output()).isEqualTo(1);
            String out = run.output();
            assertThat(out).doesNotContain("\tat ").contains("mapping lossy_pairs:", "mapping type_rows:");
            String v1 = f.schema(Side.V1) + ".lossy_pairs.";
            String v2 = f.schema(Side.V2) + ".lossy_pairs.";
            assertThat(out)
                    .contains("LOSSY v1 " + v1 + "dt datetime(6) -> v2 " + v2 + "dt timestamp(3) without time zone:"
                            + " datetime(6) into timestamp(3) without time zone: fractional seconds beyond 3 digits are cut")
                    .contains("LOSSY v1 " + v1 + "big bigint(20) unsigned -> v2 " + v2 + "big bigint: bigint(20) unsigned"
                            + " into bigint: values above 9223372036854775807 do not fit (an unsigned bigint needs numeric(20))")
                    .contains("LOSSY v2 " + v2 + "tags character varying(100) -> v1 " + v1 + "tags set('a','b'): a SET holds"
                            + " only its members")
                    .contains("LOSSY v2 " + v2 + "name text -> v1 " + v1 + "name varchar(50): text into varchar(50): text"
                            + " longer than 50 characters does not fit; utf8mb4 text into a latin1 column")
                    .contains("LOSSY v1 " + v1 + "ok_flag tinyint(1) -> v2 " + v2 + "ok_flag boolean: tinyint(1) holds -128..127")
                    .contains("LOSSY v2 " + v2 + "ok_dt timestamp(6) without time zone -> v1 " + v1 + "ok_dt datetime(6):"
                            + " timestamp(6) without time zone into datetime(6): date-times outside 1000..9999 do not fit");
            // exact one way: datetime(6) -> timestamp(6), bigint unsigned -> numeric(20), SET -> varchar(100), boolean -> tinyint(1)
            assertThat(out).doesNotContain("LOSSY v1 " + v1 + "ok_dt ").doesNotContain("LOSSY v1 " + v1 + "ok_big ")
                    .doesNotContain("LOSSY v1 " + v1 + "tags ").doesNotContain("LOSSY v2 " + v2 + "ok_flag ");
            // the type round trip suite's table: each column carried into the type README names exactly
            String t1 = f.schema(Side.V1) + ".type_rows.";
            for (String exact : List.of("u8", "u16", "u32", "u64", "dt", "ts", "tags", "amount", "neg", "bits", "vbin",
                    "blb", "txt", "order", "key", "group", "desc")) {
                assertThat(out).as("v1 %s round-trips through v2", exact).doesNotContain("LOSSY v1 " + t1 + exact + " ");
            }
        }
    }
}
