package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.ProblemsException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The expression sandbox: values in, a value out, nothing else reachable from a mapping file. */
class SafeExpressionTest {
    @TempDir
    Path dir;

    @Test
    void shouldDivideDecimalsExactlyWhenTheQuotientEndsAndTo34DigitsOtherwise() {
        assertThat(SafeExpression.compile("fn:decimal(c) / 100").evaluate(Map.of("c", 899L)))
                .isEqualTo(new BigDecimal("8.99"));
        assertThat(SafeExpression.compile("fn:decimal(c) / 100").evaluate(Map.of("c", -5)))
                .isEqualTo(new BigDecimal("-0.05"));
        assertThat(SafeExpression.compile("fn:decimal(a) / fn:decimal(b)").evaluate(Map.of("a", 1L, "b", 3L)))
                .isEqualTo(new BigDecimal("0.3333333333333333333333333333333333"));
        assertThat(SafeExpression.compile("fn:integer(p * 100)").evaluate(Map.of("p", new BigDecimal("8.99"))))
                .isEqualTo(899L);
        assertThatThrownBy(() -> SafeExpression.compile("fn:decimal(a) / 0").evaluate(Map.of("a", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failed");
    }

    @Test
    void shouldEvaluateArithmeticComparisonsAndFunctions() {
        assertThat(SafeExpression.compile("a + b * 2").evaluate(Map.of("a", 1L, "b", 2L))).isEqualTo(5L);
        assertThat(SafeExpression.compile("fn:decimal(a) / 4").evaluate(Map.of("a", 1L))).isEqualTo(new BigDecimal("0.25"));
        assertThat(SafeExpression.compile("s == 'x' ? 'yes' : 'no'").evaluate(Map.of("s", "x"))).isEqualTo("yes");
        assertThat(SafeExpression.compile("fn:trim(fn:lower(s))").evaluate(Map.of("s", " AB "))).isEqualTo("ab");
        assertThat(SafeExpression.compile("a + b").variables()).containsExactly("a", "b");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "java.lang.Runtime.getRuntime().exec('touch /tmp/pwned')",
        "java.lang.System.exit(1)",
        "''.getClass().forName('java.lang.Runtime')",
        "s.getClass().getClassLoader().loadClass('java.lang.Runtime')",
        "new('java.io.File', '/tmp/pwned')",
        "new java.lang.ProcessBuilder('sh')",
        "x = 5",
        "var x = 1; x",
        "for (i : [1, 2]) { i }",
        "while (true) { 1 }",
        "(x) -> { x }",
        "#pragma jexl.import java.lang\\n 1",
        "s.length()"
    })
    void shouldRejectCodeExecutionAtLoadTime(String malicious) {
        assertThatThrownBy(() -> SafeExpression.compile(malicious))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not allowed");
    }

    @Test
    void shouldRejectAFunctionOutsideTheFnNamespaceAtEvaluation() {
        SafeExpression e = SafeExpression.compile("math:max(a, b)");
        assertThatThrownBy(() -> e.evaluate(Map.of("a", 1L, "b", 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expression 'math:max(a, b)' failed");
    }

    @Test
    void shouldNotResolveClassNamesAsVariables() {
        assertThatThrownBy(() -> SafeExpression.compile("java.lang.Runtime"))
                .hasMessageContaining("only plain column names are allowed");
    }

    @Test
    void shouldReportAMaliciousExpressionInAMappingFileWithItsLine() throws Exception {
        Path file = dir.resolve("evil.yaml");
        Files.writeString(file, """
                tables:
                  - v1: t
                    columns:
                      - v2: pwned
                        compute: "java.lang.Runtime.getRuntime().exec('rm -rf /')"
                """);
        assertThatThrownBy(() -> MappingFiles.load(file, Map.of()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.line()).isEqualTo(5);
                            assertThat(p.message()).contains("is not allowed");
                        }));
    }

    @Test
    void shouldNotLetAnExpressionWriteIntoTheRow() {
        Map<String, Object> columns = new HashMap<>(Map.of("a", 1L));
        assertThatThrownBy(() -> SafeExpression.compile("a = 2")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SafeExpression.compile("a + 1").evaluate(columns)).isEqualTo(2L);
        assertThat(columns).containsExactly(Map.entry("a", 1L));
    }
}
