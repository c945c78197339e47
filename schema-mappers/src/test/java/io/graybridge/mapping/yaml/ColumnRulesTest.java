package io.graybridge.mapping.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule kind of the mapping language, both directions, NULLs and invalid values. */
class ColumnRulesTest {
    @TempDir
    Path dir;

    private TableMapping load(String rules) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "tables:\n  - v1: t\n    v2: u\n    key: id\n    columns:\n" + rules.stripIndent().indent(6));
        MappingSet set = MappingFiles.load(file, Map.of());
        return set.tables().get(0);
    }

    static Row row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of(m);
    }

    private static void roundTrips(TableMapping m, Row v1, Row v2) {
        assertThat(m.translate(Direction.FORWARD, v1)).isEqualTo(v2);
        assertThat(m.translate(Direction.BACKWARD, v2)).isEqualTo(v1);
    }

    @Test
    void shouldMapValuesBothWaysAndKeepNull() throws IOException {
        TableMapping m = load("""
                - v1: status
                  map: {A: active, I: inactive}
                """);
        roundTrips(m, row("id", 1L, "status", "A"), row("id", 1L, "status", "active"));
        roundTrips(m, row("id", 1L, "status", null), row("id", 1L, "status", null));
    }

    @Test
    void shouldRejectAnUnmappedValueNamingTableColumnKeyAndRule() throws IOException {
        TableMapping m = load("""
                - v1: status
                  v2: state
                  map: {A: active, I: inactive}
                """);
        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("id", 7L, "status", "X")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("table t -> u")
                .hasMessageContaining("column status -> state")
                .hasMessageContaining("'X' is not in the value map")
                .hasMessageContaining("[key id=7]")
                .hasMessageContaining("[rule at " + dir.resolve("m.yaml") + ":6]");
        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("id", 7L, "state", "gone")))
                .hasMessageContaining("column state -> status").hasMessageContaining("'gone' is not in the value map");
    }

    @Test
    void shouldKeepOrDefaultAnUnmappedValueWhenDeclared() throws IOException {
        TableMapping keep = load("""
                - v1: status
                  map: {A: active}
                  unmapped: keep
                """);
        assertThat(keep.translate(Direction.FORWARD, row("status", "Z"))).isEqualTo(row("status", "Z"));
        TableMapping dflt = load("""
                - v1: status
                  map: {A: active}
                  unmapped: {v1: '?', v2: unknown}
                """);
        assertThat(dflt.translate(Direction.FORWARD, row("status", "Z"))).isEqualTo(row("status", "unknown"));
        assertThat(dflt.translate(Direction.BACKWARD, row("status", "zzz"))).isEqualTo(row("status", "?"));
    }

    @Test
    void shouldMapIntegerCodesByValue() throws IOException {
        TableMapping m = load("""
                - v1: level
                  map: {1: low, 2: high}
                """);
        assertThat(m.translate(Direction.FORWARD, row("level", (short) 2))).isEqualTo(row("level", "high"));
        assertThat(m.translate(Direction.BACKWARD, row("level", "low"))).isEqualTo(row("level", 1L));
    }

    @Test
    void shouldRefuseAMapThatCannotBeReadBackward() throws IOException {
        assertThatThrownBy(() -> load("""
                - v1: status
                  map: {A: active, B: active}
                """)).isInstanceOf(ProblemsException.class).hasMessageContaining("is the image of both 'A' and 'B'");
    }

    @Test
    void shouldConvertTimestampsThroughADeclaredZoneBothWays() throws IOException {
        TableMapping m = load("""
                - v1: placed_at
                  convert: timestamp-to-timestamptz
                  zone: Europe/Paris
                """);
        LocalDateTime local = LocalDateTime.of(2026, 7, 1, 12, 0);
        OffsetDateTime utc = OffsetDateTime.of(2026, 7, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        roundTrips(m, row("placed_at", local), row("placed_at", utc));
        roundTrips(m, row("placed_at", null), row("placed_at", null));
        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("id", 3L, "placed_at", LocalDateTime.of(2026, 3, 29, 2, 30))))
                .hasMessageContaining("does not exist in Europe/Paris").hasMessageContaining("[key id=3]");
        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("placed_at", "noon")))
                .hasMessageContaining("expected a timestamp with time zone, got 'noon'");
    }

    @Test
    void shouldRejectAnUnknownZone() {
        assertThatThrownBy(() -> load("""
                - v1: placed_at
                  convert: timestamptz-to-timestamp
                  zone: Mars/Olympus
                """)).isInstanceOf(ProblemsException.class).hasMessageContaining("unknown time zone 'Mars/Olympus'");
    }

    @Test
    void shouldConvertBooleansToDeclaredFlagsAndBack() throws IOException {
        TableMapping m = load("""
                - v1: vip
                  convert: boolean-to-char
                  flags: {true: 'T', false: 'F'}
                """);
        roundTrips(m, row("vip", true), row("vip", "T"));
        roundTrips(m, row("vip", false), row("vip", "F"));
        roundTrips(m, row("vip", null), row("vip", null));
        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("vip", "Y")))
                .hasMessageContaining("'Y' is neither the true flag 'T' nor the false flag 'F'");
        TableMapping back = load("""
                - v1: active
                  convert: char-to-boolean
                  flags: {true: Y, false: N}
                """);
        roundTrips(back, row("active", "Y"), row("active", true));
    }

    @Test
    void shouldSplitAColumnAndJoinItBack() throws IOException {
        TableMapping m = load("""
                - v1: name
                  split: [first_name, last_name]
                  separator: ' '
                """);
        roundTrips(m, row("name", "Ada Lovelace"), row("first_name", "Ada", "last_name", "Lovelace"));
        roundTrips(m, row("name", "Ada"), row("first_name", "Ada", "last_name", null));
        roundTrips(m, row("name", null), row("first_name", null, "last_name", null));
        assertThat(m.translate(Direction.FORWARD, row("name", "Jean Paul Sartre")))
                .isEqualTo(row("first_name", "Jean", "last_name", "Paul Sartre"));
        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("name", 5L))).hasMessageContaining("expected text to split");
    }

    @Test
    void shouldSplitAtTheLastSeparatorWhenDeclared() throws IOException {
        TableMapping m = load("""
                - v1: name
                  split: [first_name, last_name]
                  separator: ' '
                  at: last
                """);
        assertThat(m.translate(Direction.FORWARD, row("name", "Jean Paul Sartre")))
                .isEqualTo(row("first_name", "Jean Paul", "last_name", "Sartre"));
    }

    @Test
    void shouldMergeColumnsAndSplitThemBack() throws IOException {
        TableMapping m = load("""
                - v2: address
                  merge: [street, city]
                  separator: ', '
                """);
        roundTrips(m, row("id", 1L, "street", "1 Main St", "city", "Springfield"), row("id", 1L, "address", "1 Main St, Springfield"));
        roundTrips(m, row("street", null, "city", null), row("address", null));
    }

    @Test
    void shouldLeaveAMergedColumnAbsentWhenAPartIsAbsent() throws IOException {
        TableMapping m = load("""
                - v2: address
                  merge: [street, city]
                  separator: ', '
                """);
        assertThat(m.translate(Direction.FORWARD, row("id", 1L, "street", "x"))).isEqualTo(row("id", 1L));
    }

    @Test
    void shouldPackColumnsIntoJsonAndUnpackThem() throws IOException {
        TableMapping m = load("""
                - v2: attributes
                  pack-json: [color, size, weight]
                """);
        roundTrips(m, row("color", "red", "size", 42L, "weight", new BigDecimal("1.5")),
                row("attributes", "{\"color\":\"red\",\"size\":42,\"weight\":1.5}"));
        roundTrips(m, row("color", null, "size", null, "weight", null), row("attributes", null));
        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("id", 2L, "attributes", "{\"colour\":\"red\"}")))
                .hasMessageContaining("JSON key 'colour' has no column").hasMessageContaining("[key id=2]");
        assertThatThrownBy(() -> m.translate(Direction.BACKWARD, row("attributes", "{not json")))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldUnpackAJsonColumnIntoColumnsAndPackThemBack() throws IOException {
        TableMapping m = load("""
                - v1: prefs
                  unpack-json: [newsletter, language]
                """);
        roundTrips(m, row("prefs", "{\"newsletter\":true,\"language\":\"fr\"}"), row("newsletter", true, "language", "fr"));
        assertThat(m.translate(Direction.FORWARD, row("prefs", "{}"))).isEqualTo(row("newsletter", null, "language", null));
    }

    @Test
    void shouldComputeAColumnWithItsInverse() throws IOException {
        TableMapping m = load("""
                - v1: price_cents
                  v2: price_eur
                  compute: 'fn:decimal(price_cents) / 100'
                  inverse: 'fn:integer(price_eur * 100)'
                """);
        Row v2 = m.translate(Direction.FORWARD, row("price_cents", 1234L));
        assertThat(v2).isEqualTo(row("price_eur", new BigDecimal("12.34")));
        assertThat(m.translate(Direction.BACKWARD, v2)).isEqualTo(row("price_cents", 1234L));
        roundTrips(m, row("price_cents", null), row("price_eur", null));
    }

    @Test
    void shouldComputeANewColumnOneWay() throws IOException {
        TableMapping m = load("""
                - v2: display_name
                  compute: 'fn:upper(name) + " <" + email + ">"'
                """);
        assertThat(m.translate(Direction.FORWARD, row("name", "ada", "email", "a@x")))
                .isEqualTo(row("name", "ada", "email", "a@x", "display_name", "ADA <a@x>"));
        assertThat(m.translate(Direction.BACKWARD, row("name", "ada", "email", "a@x", "display_name", "whatever")))
                .isEqualTo(row("name", "ada", "email", "a@x"));
        assertThat(MappingDescriptions.plan(m).orElseThrow().oneWay()).hasSize(1);
    }

    @Test
    void shouldRequireAnInverseOrADeclaredOneWayWhenAComputedColumnReplacesOne() {
        assertThatThrownBy(() -> load("""
                - v1: a
                  v2: b
                  compute: 'a * 2'
                """)).isInstanceOf(ProblemsException.class).hasMessageContaining("has no way back")
                .hasMessageContaining("one-way: true");
    }

    @Test
    void shouldNameTheRuleWhenAnExpressionFails() throws IOException {
        TableMapping m = load("""
                - v2: ratio
                  compute: 'a / b'
                """);
        assertThatThrownBy(() -> m.translate(Direction.FORWARD, row("id", 9L, "a", 1L, "b", 0L)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column a, b -> ratio")
                .hasMessageContaining("expression 'a / b' failed")
                .hasMessageContaining("[key id=9]");
    }

    @Test
    void shouldSetADeclaredDefaultBackwardForADroppedColumn() throws IOException {
        TableMapping m = load("""
                - v1: legacy_code
                  drop: true
                  default: none
                """);
        assertThat(m.translate(Direction.FORWARD, row("id", 1L, "legacy_code", "x"))).isEqualTo(row("id", 1L));
        assertThat(m.translate(Direction.BACKWARD, row("id", 1L))).isEqualTo(row("id", 1L, "legacy_code", "none"));
        assertThat(MappingDescriptions.plan(m).orElseThrow().defaults(Direction.BACKWARD)).containsEntry("legacy_code", "none");
    }

    @Test
    void shouldAcceptAPlainColumnNameAsARule() throws IOException {
        TableMapping m = load("""
                - email
                """);
        roundTrips(m, row("email", "a@x"), row("email", "a@x"));
    }
}
