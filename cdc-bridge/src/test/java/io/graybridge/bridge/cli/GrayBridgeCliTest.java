package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrayBridgeCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GrayBridgeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldListEveryCommandInHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("run", "config", "demo", "--version");
    }

    @Test
    void shouldExplainTheGateInHelpWithinEightyColumnsAndRejectAnUnknownAction() {
        assertThat(run("gate", "--help")).isZero();
        assertThat(out.toString()).contains("promote|rollback", "--reconcile", "Exit code 0 pass, 1 fail, 2 could not decide");
        assertThat(out.toString().lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        assertThat(run("gate", "sideways", "-c", "bridge.yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("sideways").doesNotContain("\tat ");
    }

    @Test
    void shouldPrintItsVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("graybridge ");
    }

    @Test
    void shouldReportEveryConfigProblemAtOnceWithLinesAndNoStackTrace() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, String.join("\n",
                "bridge:",
                "  name: shop",
                "  metadata-shema: graybridge",
                "sides:",
                "  v1:",
                "    jdbc-url: jdbc:postgresql://127.0.0.1:5432/shop",
                "    user: graybridge",
                "    password-env: GB_TEST_UNSET_VARIABLE_FOR_CLI_TEST",
                "    schema: shop_v1",
                "    pool-size: many",
                "tables: [customers]",
                ""));
        int code = run("config", "validate", "--offline", "-c", file.toString());
        assertThat(code).as("exit code for an invalid config").isEqualTo(2);
        String text = err.toString();
        assertThat(text)
                .contains(file + ":3")                 // the misspelt key, with its line
                .contains("metadata-schema")           // ... and the suggestion
                .contains("pool-size")                 // wrong type
                .contains("GB_TEST_UNSET_VARIABLE_FOR_CLI_TEST") // unset secret variable
                .contains("v2");                       // missing side
        assertThat(text).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void shouldRefuseInValidateATlsParameterCaptureCannotTakeAndAcceptOneItCan() throws IOException {
        String minimal = io.graybridge.bridge.config.ConfigLoaderTestAccess.minimal();
        Path refused = dir.resolve("tls-refused.yaml");
        // ssl=true has no counterpart in Debezium's PostgreSQL connector (it names sslmode instead)
        Files.writeString(refused, minimal.replaceFirst("5432/shop\n", "5432/shop?ssl=true&sslpassword=s3cret\n"));
        assertThat(run("config", "validate", "--offline", "-c", refused.toString())).as("exit code").isEqualTo(2);
        assertThat(err.toString()).contains(refused.toString(), "side v1", "ssl=true")
                .doesNotContain("s3cret").doesNotContain("\tat ");

        Path passed = dir.resolve("tls-passed.yaml");
        Files.writeString(passed, minimal.replaceFirst("5432/shop\n", "5432/shop?sslmode=verify-full\n"));
        assertThat(run("config", "validate", "--offline", "-c", passed.toString())).as("%s", err).isEqualTo(0);
    }

    @Test
    void shouldFailClearlyOnAMissingConfigFile() {
        int code = run("config", "validate", "--offline", "-c", dir.resolve("nope.yaml").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("nope.yaml").doesNotContain("\tat ");
    }

    @Test
    void shouldRejectAnUnknownCommandWithUsage() {
        assertThat(run("promote-everything")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
    }

    @Test
    void shouldSayWhatToSetWhenAuditTailFindsAuditOff() throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, io.graybridge.bridge.config.ConfigLoaderTestAccess.minimal());

        assertThat(run("audit", "tail", "-c", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(file.toString(), "audit.bootstrap-servers").doesNotContain("Exception");

        assertThat(run("audit", "tail", "-c", file.toString(), "--type", "nonsense")).isEqualTo(2);
        assertThat(err.toString()).contains("--type nonsense is not an audit event type");
    }
}
