package io.graybridge.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graybridge mappings check} without a database: help, and failures before any connection. */
class MappingsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GrayBridgeCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldBeListedWithItsExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("mappings");
        assertThat(run("mappings", "check", "--help")).isZero();
        assertThat(out.toString()).contains("backward(forward(r))", "1 lossy columns found",
                "--cases", "--sample", "--seed");
    }

    @Test
    void shouldReportAnInvalidMappingFileWithItsLineAndExitTwo() throws IOException {
        Files.writeString(dir.resolve("m.yaml"), """
                tables:
                  - v1: t
                    columns:
                      - v2: x
                        compute: "java.lang.System.exit(1)"
                """);
        Path config = dir.resolve("bridge.yaml");
        Files.writeString(config, """
                bridge:
                  name: t
                sides:
                  v1: {jdbc-url: "jdbc:postgresql://127.0.0.1:1/x", user: u, schema: a}
                  v2: {jdbc-url: "jdbc:postgresql://127.0.0.1:1/x", user: u, schema: b}
                mapping: m.yaml
                tables: [t]
                lanes:
                  v1-to-v2: {enabled: false}
                """);
        assertThat(run("mappings", "check", "-c", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("m.yaml:5", "is not allowed").doesNotContain("\tat ");
    }
}
