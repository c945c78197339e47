package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.graybridge.bridge.config.LaneConfig.SnapshotMode;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    static final String MINIMAL = """
            bridge:
              name: shop-release-42
            sides:
              v1:
                jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop
                user: graybridge
                schema: shop_v1
              v2:
                jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop
                user: graybridge
                schema: shop_v2
            tables: [customers, orders]
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static ProblemsException problemsOf(Runnable load) {
        try {
            load.run();
        } catch (ProblemsException e) {
            return e;
        }
        throw new AssertionError("expected a ProblemsException");
    }

    @Test
    void shouldLoadTheExampleConfigWithItsMapping() {
        Path file = RepoRoot.find().resolve("config/bridge.yaml");

        BridgeConfig config = ConfigLoader.load(file, Map.of("GB_V1_PASSWORD", "pw1", "GB_V2_PASSWORD", "pw2"));

        assertThat(config.name()).isEqualTo("shop-release-42");
        assertThat(config.v1().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/shop");
        assertThat(config.v1().password().reveal()).isEqualTo("pw1");
        assertThat(config.v2().schema()).isEqualTo("shop_v2");
        assertThat(config.tables()).extracting(TableMapping::v1Table, TableMapping::v2Table)
                .containsExactly(tuple("customers", "clients"), tuple("orders", "orders"),
                        tuple("suppliers", "suppliers"), tuple("suppliers", "supplier_addresses"),
                        tuple("products", "products"), tuple("product_stock", "products"));
        assertThat(config.tables().get(0).origin()).endsWith("mappings/shop.yaml:6");
        Row v2 = config.tables().get(0).translate(Direction.FORWARD,
                Row.of(Map.of("id", 1L, "name", "Ada", "balance_cents", 250L)));
        assertThat(v2).isEqualTo(Row.of(Map.of("id", 1L, "full_name", "Ada", "balance", new BigDecimal("2.50"),
                "tier", "standard")));
        assertThat(config.lane(Direction.FORWARD).enabled()).isTrue();
        assertThat(config.lane(Direction.BACKWARD).enabled()).isFalse();
    }

    @Test
    void shouldLoadTheComposeTrialConfigWithBothLanesAuditAndHttp() throws IOException {
        // docker-compose.yml mounts the password secret at /run/secrets/pg_password; GB_SECRETS_DIR moves it here
        Path secrets = write("secrets/pg_password", "trial").getParent();

        BridgeConfig config = ConfigLoader.load(RepoRoot.find().resolve("config/compose/bridge.yaml"),
                Map.of("GB_SECRETS_DIR", secrets.toString()));

        assertThat(config.v1().jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/shop");
        assertThat(config.v1().password().reveal()).isEqualTo("trial");
        assertThat(config.v2().password().reveal()).isEqualTo("trial");
        assertThat(config.lane(Direction.FORWARD).enabled()).isTrue();
        assertThat(config.lane(Direction.BACKWARD).enabled()).isTrue();
        assertThat(config.audit().enabled()).isTrue();
        assertThat(config.http().port()).isEqualTo(9464);
    }

    @Test
    void shouldListEveryPartOfASplitOrMergeWhenOneTableOfItIsListed() throws IOException {
        Path examples = RepoRoot.find().resolve("config/mappings/examples.yaml");
        String config = MINIMAL.replace("tables:", "mapping: " + examples + "\ntables:");
        BridgeConfig split = ConfigLoader.load(write("bridge.yaml", config.replaceAll("tables: .*", "tables: [customers]")),
                Map.of());
        assertThat(split.tables()).extracting(TableMapping::v2Table).containsExactly("customers", "customer_addresses");

        BridgeConfig merge = ConfigLoader.load(write("bridge.yaml",
                config.replaceAll("tables: .*", "tables: [accounts, account_settings]")), Map.of());
        assertThat(merge.tables()).extracting(TableMapping::v1Table).containsExactly("accounts", "account_settings");

        BridgeConfig onePart = ConfigLoader.load(write("bridge.yaml",
                config.replaceAll("tables: .*", "tables: [account_settings]")), Map.of());
        assertThat(onePart.tables()).as("one table of a merge brings the others")
                .extracting(TableMapping::v1Table).containsExactly("accounts", "account_settings");
    }

    @Test
    void shouldReadTheDeadLetterPolicyPerLaneAndTable() throws IOException {
        BridgeConfig config = ConfigLoader.load(write("bridge.yaml", MINIMAL + """
                lanes:
                  v1-to-v2:
                    dead-letters:
                      policy: skip
                      tables: {customers: pause}
                """), Map.of());
        io.graybridge.bridge.deadletter.DeadLetterPolicy p = config.lane(Direction.FORWARD).deadLetters();
        assertThat(p.forTable("orders")).isEqualTo(io.graybridge.bridge.deadletter.DeadLetterPolicy.Action.SKIP);
        assertThat(p.forTable("customers")).isEqualTo(io.graybridge.bridge.deadletter.DeadLetterPolicy.Action.PAUSE);
        assertThat(config.lane(Direction.BACKWARD).deadLetters())
                .isEqualTo(io.graybridge.bridge.deadletter.DeadLetterPolicy.PAUSE);

        Path invalid = write("bridge.yaml", MINIMAL + """
                lanes:
                  v1-to-v2:
                    dead-letters:
                      policy: drop
                """);
        ProblemsException e = problemsOf(() -> ConfigLoader.load(invalid, Map.of()));
        assertThat(e.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("drop"));
    }

    @Test
    void shouldLoadEveryExampleConfigInTheRepo() throws IOException {
        Map<String, String> env = Map.of("GB_V1_PASSWORD", "pw1", "GB_V2_PASSWORD", "pw2",
                "GB_DEMO_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres", "GB_DEMO_PASSWORD", "pw",
                "GB_DEMO_KAFKA", "localhost:9092",
                "GB_SECRETS_DIR", write("secrets/pg_password", "trial").getParent().toString());
        List<Path> examples;
        try (var files = Files.walk(RepoRoot.find().resolve("config"))) {
            examples = files.filter(f -> f.getFileName().toString().equals("bridge.yaml")).sorted().toList();
        }

        assertThat(examples).isNotEmpty();
        for (Path example : examples) {
            assertThat(ConfigLoader.load(example, env).tables()).as("%s", example).isNotEmpty();
        }
    }

    @Test
    void shouldFillInEveryDefault() throws IOException {
        BridgeConfig config = ConfigLoader.load(write("bridge.yaml", MINIMAL), Map.of());

        assertThat(config.metadataSchema()).isEqualTo("graybridge");
        for (Side side : Side.values()) {
            assertThat(config.side(side).poolSize()).isEqualTo(4);
            assertThat(config.side(side).password().isEmpty()).isTrue();
        }
        assertThat(config.tables()).extracting(TableMapping::v1Table, TableMapping::v2Table, TableMapping::origin)
                .containsExactly(
                        tuple("customers", "customers", "(no mapping declared: same name and columns)"),
                        tuple("orders", "orders", "(no mapping declared: same name and columns)"));
        assertThat(config.lane(Direction.FORWARD)).isEqualTo(new LaneConfig(Direction.FORWARD, true,
                "graybridge_shop_release_42_v1", "graybridge_shop_release_42_v1", SnapshotMode.INITIAL, 1000, 200));
        assertThat(config.lane(Direction.BACKWARD)).isEqualTo(new LaneConfig(Direction.BACKWARD, false,
                "graybridge_shop_release_42_v2", "graybridge_shop_release_42_v2", SnapshotMode.NEVER, 1000, 200));
    }

    @Test
    void shouldDefaultThePublicationToTheGivenSlotName() throws IOException {
        BridgeConfig config = ConfigLoader.load(write("bridge.yaml", MINIMAL + """
                lanes:
                  v1-to-v2:
                    slot-name: my_slot
                    snapshot: never
                    batch-size: 10
                """), Map.of());

        LaneConfig lane = config.lane(Direction.FORWARD);
        assertThat(lane.slotName()).isEqualTo("my_slot");
        assertThat(lane.publicationName()).isEqualTo("my_slot");
        assertThat(lane.snapshot()).isEqualTo(SnapshotMode.NEVER);
        assertThat(lane.batchSize()).isEqualTo(10);
    }

    @Test
    void shouldDefaultReadAheadToTenBatchesAndTakeASetOne() throws IOException {
        BridgeConfig config = ConfigLoader.load(write("bridge.yaml", MINIMAL + """
                lanes:
                  v1-to-v2:
                    batch-size: 10
                  v2-to-v1:
                    batch-size: 10
                    read-ahead: 25
                """), Map.of());

        assertThat(config.lane(Direction.FORWARD).readAhead()).as("10 x batch-size").isEqualTo(100);
        assertThat(config.lane(Direction.BACKWARD).readAhead()).isEqualTo(25);
        assertThat(ConfigLoader.describeEffective(config)).contains("    read-ahead: 100\n", "    read-ahead: 25\n");
    }

    @Test
    void shouldRefuseAReadAheadBelowTheBatchSizeNamingFileAndSetting() throws IOException {
        Path file = write("bridge.yaml", MINIMAL + """
                lanes:
                  v1-to-v2:
                    batch-size: 50
                    read-ahead: 20
                  v2-to-v1:
                    read-ahead: 0
                """);

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e.problems()).extracting(Problem::file, Problem::message).containsExactly(
                tuple(file.toString(), "'lanes.v1-to-v2.read-ahead' is 20, less than the lane's batch-size 50: capture"
                        + " could not read one batch ahead"),
                tuple(file.toString(), "'lanes.v2-to-v1.read-ahead' must be in 1..10000000, got '0'"));
        assertThat(e.problems().get(0).hint()).contains("at least batch-size");
        assertThat(e.problems().get(0).line()).as("the read-ahead line")
                .isEqualTo(java.nio.file.Files.readAllLines(file).indexOf("    read-ahead: 20") + 1);
    }

    @Test
    void shouldReportEveryProblemAtOnceWithFileAndLine() throws IOException {
        Path mapping = write("mappings/shop.yaml", """
                tables:
                  - v1: customers
                    v2: clients
                    columns:
                      - v1: balance_cents
                        v2: balance
                        default: 0
                """);
        Path file = write("bridge.yaml", """
                bridge:
                  name: Shop Release!
                  metadata-schema: graybridge
                sides:
                  v1:
                    jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop
                    user: ${DB_USER}
                    password-env: GB_V1_PASSWORD
                    schema: shop_v1
                    pool_size: 4
                  v2:
                    jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop
                    password-file: secrets/v2-password
                    schema: shop_v2
                    pool-size: many
                mapping: mappings/shop.yaml
                tables: [customers, orders]
                lanes:
                  v1-to-v2:
                    snapshot: sometimes
                    batch-size: 0
                """);

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of()));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e.code().exitCode()).isEqualTo(2);
        assertThat(e.problems()).extracting(Problem::file, Problem::line, Problem::message).containsExactly(
                tuple(file.toString(), 2, "'bridge.name' must be 1 to 40 characters of a-z, 0-9, _ and -, got 'Shop Release!'"),
                tuple(file.toString(), 7, "'sides.v1.user': environment variable 'DB_USER' is not set"),
                tuple(file.toString(), 8, "environment variable 'GB_V1_PASSWORD' (sides.v1.password-env) is not set"),
                tuple(file.toString(), 10, "unknown key 'pool_size' in 'sides.v1'"),
                tuple(file.toString(), 11, "missing required key 'sides.v2.user'"),
                tuple(file.toString(), 13, "cannot read password file '" + dir.resolve("secrets/v2-password")
                        + "' (sides.v2.password-file): no such file"),
                tuple(file.toString(), 15, "'sides.v2.pool-size' must be an integer in 1..64, got 'many'"),
                tuple(file.toString(), 20, "'lanes.v1-to-v2.snapshot' must be one of initial, never, got 'sometimes'"),
                tuple(file.toString(), 21, "'lanes.v1-to-v2.batch-size' must be in 1..100000, got '0'"),
                tuple(mapping.toString(), 5, "a default rule cannot also have 'v1'"));
        assertThat(e.problems().get(3).hint()).isEqualTo("did you mean 'pool-size'?");
        assertThat(e.getMessage()).startsWith("10 problems in " + file + ":");
    }

    @Test
    void shouldReportAMissingSectionAndAnEmptyTableList() throws IOException {
        Path file = write("bridge.yaml", """
                bridge:
                  name: shop
                tables: []
                sidez: {}
                """);

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of()));

        assertThat(e.problems()).extracting(Problem::line, Problem::message).contains(
                tuple(1, "missing required key 'sides.v1.jdbc-url'"),
                tuple(1, "missing required key 'sides.v2.schema'"),
                tuple(3, "'tables' must list at least one table"),
                tuple(4, "unknown top-level key 'sidez'"));
        assertThat(e.problems().stream().filter(p -> p.message().equals("unknown top-level key 'sidez'")).findFirst()
                .orElseThrow().hint()).isEqualTo("did you mean 'sides'?");
    }

    @Test
    void shouldReportAMissingMappingFileAndTwoTablesOnOneV2Table() throws IOException {
        write("m.yaml", """
                tables:
                  - v1: customers
                    v2: orders
                """);
        Path file = write("bridge.yaml", MINIMAL.replace("tables:", "mapping: m.yaml\ntables:"));
        Path missing = write("other.yaml", MINIMAL.replace("tables:", "mapping: nope.yaml\ntables:"));

        assertThat(problemsOf(() -> ConfigLoader.load(file, Map.of())).problems()).extracting(Problem::message)
                .containsExactly("tables 'customers' and 'orders' both map to v2 table 'orders'");
        assertThat(problemsOf(() -> ConfigLoader.load(missing, Map.of())).problems()).extracting(Problem::line, Problem::message)
                .containsExactly(tuple(12, "mapping file '" + dir.resolve("nope.yaml") + "' does not exist"));
    }

    @Test
    void shouldReadPasswordsFromEnvironmentAndFileAndNeverShowThem() throws IOException {
        write("secrets/v2", "s3cr3t-file\n");
        Path file = write("bridge.yaml", MINIMAL
                .replace("  v1:\n", "  v1:\n    password-env: GB_V1_PASSWORD\n")
                .replace("  v2:\n", "  v2:\n    password-file: secrets/v2\n"));

        BridgeConfig config = ConfigLoader.load(file, Map.of("GB_V1_PASSWORD", "s3cr3t-env"));
        String described = ConfigLoader.describeEffective(config);

        assertThat(config.v1().password().reveal()).isEqualTo("s3cr3t-env");
        assertThat(config.v2().password().reveal()).isEqualTo("s3cr3t-file");
        assertThat(described).doesNotContain("s3cr3t").contains("    password: ****");
        assertThat(config.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldKeepSecretsOutOfProblems() throws IOException {
        Path file = write("bridge.yaml", MINIMAL
                .replace("  v1:\n", "  v1:\n    password: s3cr3t-inline\n    pool-size: ${GB_TOKEN}\n")
                .replace("  v2:\n", "  v2:\n    password: [s3cr3t-list]\n    password-env: GB_TOKEN\n"));

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of("GB_TOKEN", "s3cr3t-env")));

        assertThat(e.problems()).extracting(Problem::message).containsExactly(
                "'sides.v1.pool-size' must be an integer in 1..64, got '${GB_TOKEN}'",
                "set only one of password-env, password-file and password for side v2");
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldRejectAPasswordInTheJdbcUrlAndMaskOtherCredentials() throws IOException {
        Path file = write("bridge.yaml", MINIMAL.replaceFirst("5432/shop", "5432/shop?user=x&password=s3cr3t"));

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of()));

        assertThat(e.problems()).extracting(Problem::message, Problem::hint).containsExactly(tuple(
                "'sides.v1.jdbc-url' must not carry a password",
                "use password-env or password-file, so it is never printed"));
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
        assertThat(ConfigLoader.maskUrl("jdbc:postgresql://h/db?ssl=true&sslpassword=abc&apiKey=k1"))
                .isEqualTo("jdbc:postgresql://h/db?ssl=true&sslpassword=****&apiKey=****");
    }

    @Test
    void shouldLeaveHttpOffByDefaultAndReadItsTokenFromEnvironmentOrFileNeverShowingIt() throws IOException {
        assertThat(ConfigLoader.load(write("bridge.yaml", MINIMAL), Map.of()).http())
                .isEqualTo(new BridgeConfig.Http(null, "127.0.0.1", Secret.none(), 30));

        write("secrets/http-token", "t0ken-file\n");
        BridgeConfig fromFile = ConfigLoader.load(write("file.yaml", MINIMAL
                + "http:\n  port: 9464\n  bind-address: 0.0.0.0\n  token-file: secrets/http-token\n"
                + "  ready-max-lag-seconds: 5\n"), Map.of());
        BridgeConfig fromEnv = ConfigLoader.load(write("env.yaml", MINIMAL + "http:\n  port: 9464\n  token-env: GB_HTTP\n"),
                Map.of("GB_HTTP", "t0ken-env"));

        assertThat(fromFile.http().enabled()).isTrue();
        assertThat(fromFile.http()).extracting(BridgeConfig.Http::port, BridgeConfig.Http::bindAddress,
                BridgeConfig.Http::readyMaxLagSeconds).containsExactly(9464, "0.0.0.0", 5);
        assertThat(fromFile.http().token().reveal()).isEqualTo("t0ken-file");
        assertThat(fromEnv.http().token().reveal()).isEqualTo("t0ken-env");
        assertThat(ConfigLoader.describeEffective(fromEnv)).contains("http:\n  port: 9464\n", "  token: ****\n")
                .doesNotContain("t0ken");
    }

    @Test
    void shouldReportHttpSettingProblemsNamingTheSetting() throws IOException {
        Path file = write("bridge.yaml", MINIMAL + "http:\n  port: 70000\n  token-env: GB_HTTP\n  token-file: t\n");

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of("GB_HTTP", "t0ken")));

        assertThat(e.problems()).extracting(Problem::message).containsExactly(
                "'http.port' must be in 1..65535, got '70000'",
                "set only one of token-env and token-file");
        assertThat(e.getMessage()).doesNotContain("t0ken");
    }

    @Test
    void shouldDescribeTheEffectiveConfig() throws IOException {
        Path file = write("bridge.yaml", MINIMAL);

        String described = ConfigLoader.describeEffective(ConfigLoader.load(file, Map.of()));

        assertThat(described).contains(
                "bridge:\n  name: shop-release-42\n  metadata-schema: graybridge\n",
                "    pool-size: 4\n",
                "    password: (none)\n",
                "  - customers -> customers   # (no mapping declared: same name and columns)\n",
                "  v2-to-v1:\n    enabled: false\n    slot-name: graybridge_shop_release_42_v2\n",
                "    snapshot: initial\n");
    }

    @Test
    void shouldReportAYamlSyntaxErrorWithItsLine() throws IOException {
        Path file = write("bridge.yaml", """
                bridge:
                  name: shop
                sides:
                  v1: [a, b
                """);

        ProblemsException e = problemsOf(() -> ConfigLoader.load(file, Map.of()));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).startsWith("YAML syntax error:");
        });
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()))
                .hasMessageContaining("absent.yaml: cannot read file: no such file");
        assertThat(List.of(e.getStackTrace())).isNotEmpty();
    }
}
