package io.graybridge.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The positional forward translation gives what {@link TableMapping#translate} gives, column for column. */
class ForwardTest {
    @TempDir
    Path dir;

    private TableMapping load(String rules) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "tables:\n  - v1: t\n    v2: u\n    key: id\n    columns:\n" + rules.stripIndent().indent(6));
        return MappingFiles.load(file, Map.of()).tables().get(0);
    }

    /** A v1 table with these columns (all read), without a database. */
    private static KeyedTable table(String... names) {
        List<Column> columns = new ArrayList<>();
        for (String n : names) {
            columns.add(new Column(n, "text", "text", true));
        }
        return new Fake(columns, List.of(columns.get(0)), columns);
    }

    private static final class Fake extends KeyedTable {
        Fake(List<Column> columns, List<Column> key, List<Column> selected) {
            super("s", "t", columns, key, selected);
        }

        @Override
        KeyedTable with(List<Column> chosen) {
            return new Fake(columns(), key(), chosen);
        }

        @Override
        public String engine() {
            return "test";
        }

        @Override
        public String quoteId(String identifier) {
            return identifier;
        }

        @Override
        String ordered(Column c) {
            return c.name();
        }

        @Override
        public String placeholder(Column column) {
            return "?";
        }
    }

    /** Translates {@code raw} both ways and checks they agree (names in order, values and their types). */
    private static Row agree(Forward f, KeyedTable v1, TableMapping m, Object... raw) {
        Forward.Translated t = f.translate(raw);
        Row expected = m.translate(Direction.FORWARD, v1.rowOf(raw));
        Row got = Forward.row(t);
        assertThat(List.copyOf(got.columns())).containsExactlyElementsOf(expected.columns());
        for (String c : expected.columns()) {
            Object e = expected.get(c);
            assertThat(got.get(c)).as(c).isEqualTo(e);
            if (e != null) {
                assertThat(got.get(c)).as(c).isInstanceOf(e.getClass());
            }
        }
        return got;
    }

    @Test
    void shouldCompileRenamesConversionsValueMapsDefaultsAndDropsAndTranslateLikeTheMapping() throws IOException {
        TableMapping m = load("""
                - v1: name
                  v2: full_name
                - v1: balance_cents
                  v2: balance
                  convert: cents-to-decimal
                - v1: status
                  map: {A: active, I: inactive}
                  unmapped: keep
                - v1: legacy
                  drop: true
                - v1: not_on_v1
                  v2: renamed
                - v2: tier
                  default: standard
                - v2: name
                  default: taken
                """);
        KeyedTable v1 = table("id", "name", "email", "balance_cents", "status", "legacy", "created_at");
        Forward f = new Forward(m, v1);
        assertThat(f.compiled()).isTrue();
        LocalDateTime at = LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        Row first = agree(f, v1, m, 1L, "Ada", "a@example.com", 1234L, "A", "old", at);
        assertThat(first.get("balance")).isEqualTo(new BigDecimal("12.34"));
        assertThat(first.get("tier")).isEqualTo("standard");
        assertThat(first.has("legacy")).isFalse();
        agree(f, v1, m, 2L, null, null, 0L, "Z", null, null);
        agree(f, v1, m, 3L, "", "", -5L, "I", "x", at);
        assertThat(f.compiled()).isTrue();
    }

    @Test
    void shouldTranslateOtherRulesThroughTheMapping() throws IOException {
        TableMapping m = load("""
                - v1: name
                  split: [first_name, last_name]
                  separator: ' '
                """);
        KeyedTable v1 = table("id", "name");
        Forward f = new Forward(m, v1);
        assertThat(f.compiled()).isFalse();
        Row r = agree(f, v1, m, 1L, "Ada Lovelace");
        assertThat(r.get("last_name")).isEqualTo("Lovelace");
    }

    @Test
    void shouldReportTheMappingsOwnErrorForARejectedValue() throws IOException {
        TableMapping m = load("""
                - v1: status
                  v2: state
                  map: {A: active}
                """);
        KeyedTable v1 = table("id", "status");
        Forward f = new Forward(m, v1);
        assertThat(f.compiled()).isTrue();
        agree(f, v1, m, 1L, "A");
        assertThatThrownBy(() -> f.translate(new Object[] {7L, "X"}))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column status -> state")
                .hasMessageContaining("not in the value map");
    }

    @Test
    void shouldLeaveTwoColumnsOntoOneToTheMapping() throws IOException {
        TableMapping m = load("""
                - v1: name
                  v2: full_name
                """);
        KeyedTable v1 = table("id", "name", "full_name");
        Forward f = new Forward(m, v1);
        assertThat(f.compiled()).isFalse();
        assertThatThrownBy(() -> f.translate(new Object[] {1L, "a", "b"}))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("both map to");
    }
}
