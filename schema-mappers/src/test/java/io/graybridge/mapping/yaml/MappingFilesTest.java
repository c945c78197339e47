package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFilesTest {
    private static final String EXAMPLE = """
            # mappings/shop.yaml
            tables:
              - v1: customers
                v2: clients
                columns:
                  - v1: name
                    v2: full_name
                  - v1: balance_cents
                    v2: balance
                    convert: cents-to-decimal
                  - v2: tier
                    default: standard
                  - v1: legacy_code
                    drop: true
              - v1: orders
                columns:
                  - v1: total_cents
                    v2: total
                    convert: cents-to-decimal
            """;

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("shop.yaml"), text);
    }

    private TableMapping customers() throws IOException {
        return MappingFiles.load(write(EXAMPLE), Map.of()).forTable(Side.V1, "customers").orElseThrow();
    }

    private static Row row(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Row.of(values);
    }

    @Test
    void shouldLoadTablesWithDefaultV2NameAndOrigin() throws IOException {
        Path file = write(EXAMPLE);
        MappingSet set = MappingFiles.load(file, Map.of());

        assertThat(set.tables()).extracting(TableMapping::name, TableMapping::v1Table, TableMapping::v2Table, TableMapping::origin)
                .containsExactly(
                        tuple("customers", "customers", "clients", file + ":3"),
                        tuple("orders", "orders", "orders", file + ":15"));
        assertThat(set.forTable(Side.V2, "clients")).isPresent();
    }

    @Test
    void shouldRenameColumnsBothWays() throws IOException {
        TableMapping m = customers();

        assertThat(m.translate(Direction.FORWARD, row("id", 1L, "name", "Ada")))
                .isEqualTo(row("id", 1L, "full_name", "Ada", "tier", "standard"));
        assertThat(m.translate(Direction.BACKWARD, row("id", 1L, "full_name", "Ada", "tier", "gold")))
                .isEqualTo(row("id", 1L, "name", "Ada"));
    }

    @Test
    void shouldConvertCentsToDecimalBothWays() throws IOException {
        TableMapping m = customers();

        Row forward = m.translate(Direction.FORWARD, row("balance_cents", 1234L));
        assertThat(forward.get("balance")).isEqualTo(new BigDecimal("12.34"));
        assertThat(((BigDecimal) forward.get("balance")).scale()).isEqualTo(2);
        assertThat(m.translate(Direction.BACKWARD, row("balance", new BigDecimal("12.3"))))
                .isEqualTo(row("balance_cents", 1230L));
    }

    @Test
    void shouldAddTheDefaultForwardAndDropItBackward() throws IOException {
        TableMapping m = customers();

        assertThat(m.translate(Direction.FORWARD, row("id", 7L)).asMap())
                .containsExactly(Map.entry("id", 7L), Map.entry("tier", "standard"));
        assertThat(m.translate(Direction.FORWARD, row("id", 7L, "tier", "gold")).get("tier"))
                .as("a value already in the row wins over the default").isEqualTo("gold");
        assertThat(m.translate(Direction.BACKWARD, row("id", 7L, "tier", "gold"))).isEqualTo(row("id", 7L));
    }

    @Test
    void shouldDropAV1OnlyColumnForwardAndLeaveItAbsentBackward() throws IOException {
        TableMapping m = customers();

        assertThat(m.translate(Direction.FORWARD, row("id", 7L, "legacy_code", "X9")).has("legacy_code")).isFalse();
        assertThat(m.translate(Direction.BACKWARD, row("id", 7L)).has("legacy_code")).isFalse();
    }

    @Test
    void shouldPassUnlistedColumnsThroughAndKeepAbsentColumnsAbsent() throws IOException {
        TableMapping m = customers();
        LocalDateTime at = LocalDateTime.of(2026, 1, 2, 3, 4, 5);

        Row forward = m.translate(Direction.FORWARD, row("id", 1L, "email", "a@b.c", "created_at", at));

        assertThat(forward).isEqualTo(row("id", 1L, "email", "a@b.c", "created_at", at, "tier", "standard"));
        assertThat(forward.has("full_name")).isFalse();
        assertThat(forward.has("balance")).isFalse();
    }

    @Test
    void shouldPassNullThroughEveryRule() throws IOException {
        TableMapping m = customers();

        assertThat(m.translate(Direction.FORWARD, row("name", null, "balance_cents", null)))
                .isEqualTo(row("full_name", null, "balance", null, "tier", "standard"));
        assertThat(m.translate(Direction.BACKWARD, row("full_name", null, "balance", null)))
                .isEqualTo(row("name", null, "balance_cents", null));
        assertThat(m.translate(Direction.FORWARD, null)).isNull();
    }

    @Test
    void shouldRoundTripTheExample() throws IOException {
        TableMapping m = customers();
        Row v1 = row("id", 42L, "name", "Ada Lovelace", "email", "ada@example.com", "balance_cents", -150L,
                "status", "A", "created_at", LocalDateTime.of(2026, 11, 27, 9, 30));

        Row v2 = m.translate(Direction.FORWARD, v1);

        assertThat(m.translate(Direction.BACKWARD, v2)).isEqualTo(v1);
        assertThat(m.translate(Direction.FORWARD, m.translate(Direction.BACKWARD, v2))).isEqualTo(v2);
    }

    @Test
    void shouldNameTableColumnAndValueWhenAValueCannotConvert() throws IOException {
        TableMapping m = customers();

        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("balance", new BigDecimal("12.345"))))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("table clients -> customers")
                .hasMessageContaining("column balance -> balance_cents")
                .hasMessageContaining("cents-to-decimal, backward")
                .hasMessageContaining("12.345 has more than 2 decimal places")
                .satisfies(e -> assertThat(((MappingException) e).code()).isEqualTo(ErrorCode.MAPPING_FAILED));
        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("balance_cents", "12")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column balance_cents -> balance")
                .hasMessageContaining("expected integer cents, got '12' (String)");
    }

    @Test
    void shouldKeepDefaultsTypedAsYamlTypedThem() throws IOException {
        MappingSet set = MappingFiles.load(write("""
                tables:
                  - v1: t
                    columns:
                      - {v2: s, default: standard}
                      - {v2: q, default: '7'}
                      - {v2: i, default: 7}
                      - {v2: b, default: false}
                      - {v2: d, default: 1.50}
                      - {v2: n, default: null}
                      - {v2: e, default: "${TIER:-bronze}"}
                """), Map.of());

        Row forward = set.tables().get(0).translate(Direction.FORWARD, Row.empty());

        assertThat(forward.asMap()).containsExactly(Map.entry("s", "standard"), Map.entry("q", "7"), Map.entry("i", 7L),
                Map.entry("b", false), Map.entry("d", new BigDecimal("1.50")), new java.util.AbstractMap.SimpleEntry<>("n", null),
                Map.entry("e", "bronze"));
    }

    @Test
    void shouldRejectTwoSourceColumnsLandingOnOneTargetColumn() throws IOException {
        TableMapping m = customers();

        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("name", "a", "full_name", "b")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("columns 'name' and 'full_name' both map to v2 column 'full_name'");
    }

    @Test
    void shouldDescribeWhatEachDirectionReadsAndWrites() throws IOException {
        ColumnPlan plan = MappingDescriptions.plan(customers()).orElseThrow();

        assertThat(plan.reads(Direction.FORWARD)).containsExactly("name", "balance_cents", "legacy_code");
        assertThat(plan.writes(Direction.FORWARD)).containsExactly("full_name", "balance", "tier");
        assertThat(plan.reads(Direction.BACKWARD)).containsExactly("full_name", "balance", "tier");
        assertThat(plan.writes(Direction.BACKWARD)).containsExactly("name", "balance_cents");
        assertThat(plan.defaults()).containsExactly(Map.entry("tier", "standard"));
        assertThat(plan.target(Direction.FORWARD, "name")).contains("full_name");
        assertThat(plan.target(Direction.FORWARD, "email")).contains("email");
        assertThat(plan.target(Direction.FORWARD, "legacy_code")).isEmpty();
        assertThat(plan.target(Direction.BACKWARD, "tier")).isEmpty();
        assertThat(plan.passThrough()).isTrue();
    }

    @Test
    void shouldBuildTheIdentityMapping() {
        TableMapping m = MappingFiles.identity("orders");
        Row r = row("id", 1L, "total_cents", 5L);

        assertThat(m.v1Table()).isEqualTo("orders");
        assertThat(m.v2Table()).isEqualTo("orders");
        assertThat(m.origin()).isEqualTo("(no mapping declared: same name and columns)");
        assertThat(m.translate(Direction.FORWARD, r)).isEqualTo(r);
        assertThat(m.translate(Direction.BACKWARD, r)).isEqualTo(r);
        assertThat(MappingDescriptions.plan(m).orElseThrow().rules()).isEmpty();
    }

    @Test
    void shouldReportEveryProblemOfABrokenFileWithItsLine() throws IOException {
        Path file = write("""
                tables:
                  - v1: customers
                    v2: clients
                    colums: []
                  - v2: orphans
                  - v1: customers
                    v2: clients
                    columns:
                      - v1: name
                        v2: full_name
                      - v1: name
                        v2: other
                      - v1: balance_cents
                        convert: cents-to-decimals
                      - v1: a
                        default: 1
                      - v1: b
                      - v2: c
                      - v1: d
                        drop: false
                      - v1: e
                        v2: f
                        colour: red
                versoin: 2
                """);

        assertThatThrownBy(() -> MappingFiles.load(file, Map.of()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MAPPING_INVALID);
                    assertThat(e.problems()).allMatch(p -> p.file().equals(file.toString()));
                    assertThat(e.problems()).extracting(Problem::line, Problem::message).containsExactly(
                            tuple(4, "unknown key 'colums' in 'tables[0]'"),
                            tuple(5, "missing required key 'tables[1].v1'"),
                            tuple(6, "v1 table 'customers' is mapped twice (first at line 2)"),
                            tuple(7, "v2 table 'clients' is the target of two mappings (first at line 3)"),
                            tuple(11, "v1 column 'name' of table 'customers' is named by two rules (first at line 9)"),
                            tuple(14, "unknown conversion 'cents-to-decimals'"),
                            tuple(15, "a default rule cannot also have 'v1'"),
                            tuple(17, "the rule for v1 column 'b' does nothing"),
                            tuple(18, "the rule for v2 column 'c' has no v1 column"),
                            tuple(20, "'drop: false' does nothing"),
                            tuple(23, "unknown key 'colour' in 'tables[2].columns[7]'"),
                            tuple(24, "unknown top-level key 'versoin'"));
                    assertThat(e.problems().get(0).hint()).isEqualTo("did you mean 'columns'?");
                    assertThat(e.problems().get(5).hint())
                            .isEqualTo("did you mean 'cents-to-decimal'? known conversions: cents-to-decimal, int-to-string,"
                                    + " string-to-int, boolean-to-int, int-to-boolean, timestamp-to-timestamptz, timestamptz-to-timestamp,"
                                    + " boolean-to-char, char-to-boolean");
                    assertThat(e.problems().get(11).hint()).isEqualTo("did you mean 'version'?");
                });
    }

    @Test
    void shouldTurnAYamlSyntaxErrorIntoAProblemWithItsLine() throws IOException {
        Path file = write("""
                tables:
                  - v1: customers
                    columns:
                      - v1: name
                      v2: full_name
                """);

        assertThatThrownBy(() -> MappingFiles.load(file, Map.of()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.line()).isEqualTo(5);
                            assertThat(p.message()).startsWith("YAML syntax error:");
                        }));
    }

    @Test
    void shouldReportAnEmptyOrMissingFile() throws IOException {
        Path empty = write("# nothing yet\n");

        assertThatThrownBy(() -> MappingFiles.load(empty, Map.of()))
                .hasMessageContaining("the mapping file is empty");
        assertThatThrownBy(() -> MappingFiles.load(dir.resolve("missing.yaml"), Map.of()))
                .hasMessageContaining("missing.yaml: cannot read file: no such file");
    }

    @Test
    void shouldRejectSchemaQualifiedTableNames() throws IOException {
        Path file = write("""
                tables:
                  - v1: shop_v1.customers
                """);

        assertThatThrownBy(() -> MappingFiles.load(file, Map.of()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.message()).isEqualTo(
                                "'tables[0].v1' must be a table name without a schema, got 'shop_v1.customers'")));
    }
}
