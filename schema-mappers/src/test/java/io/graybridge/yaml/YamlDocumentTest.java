package io.graybridge.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.Problem;
import io.graybridge.error.ProblemsException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlDocumentTest {
    private final ProblemCollector problems = new ProblemCollector();

    private YamlNode parse(String text) {
        return parse(text, Map.of());
    }

    private YamlNode parse(String text, Map<String, String> env) {
        return YamlDocument.parse("test.yaml", text, env, problems).root();
    }

    private enum Mode {
        INITIAL,
        NEVER,
        ONLY_ONCE
    }

    @Test
    void shouldKnowTheLineAndColumnOfEveryValue() {
        YamlNode root = parse("""
                bridge:
                  name: shop
                tables:
                  - customers
                  - orders
                """);

        assertThat(root.get("bridge").get("name").line()).isEqualTo(2);
        assertThat(root.get("bridge").get("name").column()).isEqualTo(3);
        assertThat(root.get("bridge").get("name").path()).isEqualTo("bridge.name");
        List<YamlNode> tables = root.get("tables").items();
        assertThat(tables.get(1).line()).isEqualTo(5);
        assertThat(tables.get(1).path()).isEqualTo("tables[1]");
        assertThat(tables.get(1).string()).contains("orders");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void shouldReportUnknownKeysWithADidYouMeanHint() {
        YamlNode root = parse("""
                sides:
                  v1:
                    jdbc-url: x
                    pool_size: 4
                    colour: red
                """);

        root.at("sides", "v1").checkKeys(List.of("jdbc-url", "user", "pool-size"));

        assertThat(problems.problems()).containsExactly(
                new Problem("test.yaml", 4, 5, "unknown key 'pool_size' in 'sides.v1'", "did you mean 'pool-size'?"),
                new Problem("test.yaml", 5, 5, "unknown key 'colour' in 'sides.v1'",
                        "expected one of: jdbc-url, user, pool-size"));
    }

    @Test
    void shouldReportAMissingRequiredKeyAtItsParent() {
        YamlNode root = parse("""
                bridge:
                  metadata-schema: gb
                  name:
                """);

        assertThat(root.get("bridge").require("name", "metadata-schema")).isFalse();
        assertThat(root.at("sides", "v1").require("user")).isFalse();

        assertThat(problems.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(1, "missing required key 'bridge.name'"),
                tuple(1, "missing required key 'sides.v1.user'"));
    }

    @Test
    void shouldCheckIntegersTypeAndRange() {
        YamlNode root = parse("""
                a: 4
                b: 65
                c: four
                d: "4"
                e: 010
                f: 1_000
                """);

        assertThat(root.get("a").integer(1, 64)).contains(4);
        assertThat(root.get("b").integer(1, 64)).isEmpty();
        assertThat(root.get("c").integer(1, 64)).isEmpty();
        assertThat(root.get("d").integer(1, 64)).isEmpty();
        assertThat(root.get("e").integer(1, 64)).isEmpty();
        assertThat(root.get("f").integer(1, 10_000)).contains(1000);
        assertThat(root.get("missing").integer(1, 64)).isEmpty();

        assertThat(problems.problems()).extracting(Problem::line, Problem::message, Problem::hint).containsExactly(
                tuple(2, "'b' must be in 1..64, got '65'", null),
                tuple(3, "'c' must be an integer in 1..64, got 'four'", null),
                tuple(4, "'d' must be an integer in 1..64, got '4'", "remove the quotes"),
                tuple(5, "'e' must be an integer in 1..64 written in decimal, got '010'",
                        "YAML 1.1 reads a leading 0 as octal; write the plain decimal number"));
    }

    @Test
    void shouldReadBooleansListsAndMapsAndRejectOtherShapes() {
        YamlNode root = parse("""
                on: true
                off: no
                bad: maybe
                list: [a, b]
                notlist: a
                map: [1]
                """);

        assertThat(root.get("on").bool()).contains(true);
        assertThat(root.get("off").bool()).contains(false);
        assertThat(root.get("bad").bool()).isEmpty();
        assertThat(root.get("list").stringList()).contains(List.of("a", "b"));
        assertThat(root.get("notlist").stringList()).isEmpty();
        assertThat(root.get("map").expectMap()).isFalse();
        assertThat(root.get("list").string()).isEmpty();

        assertThat(problems.problems()).extracting(Problem::message).containsExactly(
                "'bad' must be true or false, got 'maybe'",
                "'list' must be a string, got a list",
                "'notlist' must be a list, got 'a'",
                "'map' must be a map of keys, got a list");
    }

    @Test
    void shouldReadEnumValuesAndSuggestTheClosestOne() {
        YamlNode root = parse("""
                a: initial
                b: only-once
                c: nevr
                """);

        assertThat(root.get("a").enumValue(Mode.class)).contains(Mode.INITIAL);
        assertThat(root.get("b").enumValue(Mode.class)).contains(Mode.ONLY_ONCE);
        assertThat(root.get("c").enumValue(Mode.class)).isEmpty();

        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).isEqualTo("'c' must be one of initial, never, only-once, got 'nevr'");
            assertThat(p.hint()).isEqualTo("did you mean 'never'?");
        });
    }

    @Test
    void shouldSubstituteEnvironmentVariablesInScalars() {
        YamlNode root = parse("""
                url: jdbc:postgresql://${DB_HOST}:${DB_PORT:-5432}/shop
                pool: ${POOL:-4}
                literal: cost $${NOT_A_VAR}
                empty-with-default: ${EMPTY:-fallback}
                quoted: "${DB_HOST}"
                """, Map.of("DB_HOST", "db.internal", "EMPTY", ""));

        assertThat(root.get("url").string()).contains("jdbc:postgresql://db.internal:5432/shop");
        assertThat(root.get("pool").integer(1, 64)).contains(4);
        assertThat(root.get("literal").string()).contains("cost ${NOT_A_VAR}");
        assertThat(root.get("empty-with-default").string()).contains("fallback");
        assertThat(root.get("quoted").string()).contains("db.internal");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void shouldNameAnUnsetVariableAndNeverQuoteASubstitutedValue() {
        YamlNode root = parse("""
                user: ${DB_USER}
                pool: ${SECRET_TOKEN}
                broken: ${oops
                """, Map.of("SECRET_TOKEN", "hunter2"));

        assertThat(root.get("user").string()).isEmpty();
        assertThat(root.get("pool").integer(1, 64)).isEmpty();
        assertThat(root.get("broken").string()).isEmpty();

        assertThat(problems.problems()).extracting(Problem::line, Problem::message).containsExactly(
                tuple(1, "'user': environment variable 'DB_USER' is not set"),
                tuple(2, "'pool' must be an integer in 1..64, got '${SECRET_TOKEN}'"),
                tuple(3, "'broken': unterminated '${'"));
        assertThat(problems.problems().get(0).hint()).isEqualTo("set DB_USER, or give a default: ${DB_USER:-value}");
        assertThat(problems.problems()).noneMatch(p -> p.render().contains("hunter2"));
    }

    @Test
    void shouldKeepScalarValuesTypedAsYamlTypedThem() {
        YamlNode root = parse("""
                s: standard
                q: '42'
                i: 42
                n: -7
                big: 99999999999999999999
                b: true
                d: 12.50
                z: ~
                t: 2024-01-31
                """);

        assertThat(root.get("s").value()).isEqualTo("standard");
        assertThat(root.get("q").value()).isEqualTo("42");
        assertThat(root.get("i").value()).isEqualTo(42L);
        assertThat(root.get("n").value()).isEqualTo(-7L);
        assertThat(root.get("big").value()).isEqualTo(new BigInteger("99999999999999999999"));
        assertThat(root.get("b").value()).isEqualTo(true);
        assertThat(root.get("d").value()).isEqualTo(new BigDecimal("12.50"));
        assertThat(root.get("z").value()).isNull();
        assertThat(root.get("z").exists()).isTrue();
        assertThat(root.get("z").isSet()).isFalse();
        assertThat(root.get("t").value()).isEqualTo("2024-01-31");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void shouldTurnASyntaxErrorIntoAProblemWithItsLine() {
        YamlDocument doc = YamlDocument.parse("broken.yaml", """
                bridge:
                  name: shop
                   metadata-schema: gb
                tables: [a, b
                """, Map.of(), problems);

        assertThat(doc.isParsed()).isFalse();
        assertThat(doc.root().exists()).isFalse();
        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("broken.yaml");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).startsWith("YAML syntax error: mapping values are not allowed here");
        });
    }

    @Test
    void shouldReportDuplicateKeys() {
        parse("""
                a: 1
                b: 2
                a: 3
                """);

        assertThat(problems.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).isEqualTo("duplicate key 'a'");
            assertThat(p.hint()).isEqualTo("it is already set at line 1; keep one");
        });
    }

    @Test
    void shouldReportAnUnreadableFileWithoutThrowing(@TempDir Path dir) {
        YamlDocument doc = YamlDocument.read(dir.resolve("nope.yaml"), Map.of(), problems);

        assertThat(doc.isParsed()).isFalse();
        assertThat(problems.problems()).extracting(Problem::render)
                .containsExactly(dir.resolve("nope.yaml") + ": cannot read file: no such file");
    }

    @Test
    void shouldReadAFileAndThrowEveryProblemAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, """
                pool: 0
                flag: perhaps
                extra: 1
                """);
        YamlNode root = YamlDocument.read(file, Map.of(), problems).root();
        root.checkKeys(Set.of("pool", "flag"));
        root.get("pool").integer(1, 4);
        root.get("flag").bool();

        assertThatThrownBy(() -> problems.throwIfAny(ErrorCode.CONFIG_INVALID, file.toString()))
                .isInstanceOfSatisfying(ProblemsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.problems()).extracting(Problem::line).containsExactly(1, 2, 3);
                    assertThat(e.getMessage()).startsWith("3 problems in " + file + ":");
                });
    }

    @Test
    void shouldSuggestOnlyCloseCandidates() {
        assertThat(Suggestions.closest("pasword-env", List.of("password-env", "password-file"))).contains("password-env");
        assertThat(Suggestions.closest("zzz", List.of("password-env"))).isEmpty();
        assertThat(Suggestions.closest("Pool-Size", List.of("pool-size"))).contains("pool-size");
    }
}
