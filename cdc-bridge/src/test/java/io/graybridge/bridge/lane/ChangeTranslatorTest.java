package io.graybridge.bridge.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeTranslatorTest {
    /** v1 customers(id, name, legacy) -> v2 clients(id, full_name); legacy is dropped. */
    private static final TableMapping MAPPING = new TableMapping("customers", "customers", "clients", row -> {
        Map<String, Object> out = new LinkedHashMap<>();
        row.asMap().forEach((k, v) -> {
            if (k.equals("name")) {
                out.put("full_name", v);
            } else if (!k.equals("legacy")) {
                out.put(k, v);
            }
        });
        return Row.of(out);
    }, row -> row, "test");

    private static final TableInfo CLIENTS = new TableInfo("shop_v2", "clients",
            List.of(new ColumnInfo("id", "bigint", false, false), new ColumnInfo("full_name", "text", false, false)),
            List.of("id"), true);

    private final ChangeTranslator translator = new ChangeTranslator(MAPPING, Direction.FORWARD, CLIENTS);

    private static Row row(long id, String name, String legacy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("legacy", legacy);
        return Row.of(m);
    }

    private static SourceChange change(SourceChange.Op op, Row before, Row after) {
        return new SourceChange(Side.V1, "customers", op, before, after, "0/1", "7", Instant.EPOCH);
    }

    @Test
    void shouldCarryTheTranslatedRowOfAnInsert() {
        List<TargetChange> out = translator.translate(change(SourceChange.Op.INSERT, null, row(1, "Ada", "x")));
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(TargetChange.Op.INSERT);
            assertThat(c.key()).isEqualTo(Row.of(Map.of("id", 1L)));
            assertThat(c.after()).isEqualTo(Row.of(Map.of("id", 1L, "full_name", "Ada")));
            assertThat(c.columns()).containsExactly("full_name");
        });
    }

    @Test
    void shouldBeAboutOnlyTheColumnsAnUpdateChanged() {
        List<TargetChange> out = translator.translate(
                change(SourceChange.Op.UPDATE, row(1, "Ada", "x"), row(1, "Ada L.", "x")));
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(TargetChange.Op.UPDATE);
            assertThat(c.changed()).containsExactly("full_name");
            assertThat(c.before().get("full_name")).isEqualTo("Ada");
        });
    }

    @Test
    void shouldChangeNothingWhenOnlyADroppedColumnChanged() {
        List<TargetChange> out = translator.translate(
                change(SourceChange.Op.UPDATE, row(1, "Ada", "x"), row(1, "Ada", "y")));
        assertThat(out).singleElement().satisfies(c -> assertThat(c.changed()).isEmpty());
    }

    @Test
    void shouldDeleteTheOldKeyAndInsertTheNewOneOnAKeyChange() {
        List<TargetChange> out = translator.translate(
                change(SourceChange.Op.UPDATE, row(1, "Ada", "x"), row(2, "Ada", "x")));
        assertThat(out).extracting(TargetChange::op).containsExactly(TargetChange.Op.DELETE, TargetChange.Op.INSERT);
        assertThat(out.get(0).key()).isEqualTo(Row.of(Map.of("id", 1L)));
        assertThat(out.get(1).key()).isEqualTo(Row.of(Map.of("id", 2L)));
    }

    @Test
    void shouldDeleteByTheTranslatedKeyWithTheBeforeImage() {
        List<TargetChange> out = translator.translate(change(SourceChange.Op.DELETE, row(5, "Bo", null), null));
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(TargetChange.Op.DELETE);
            assertThat(c.key()).isEqualTo(Row.of(Map.of("id", 5L)));
            assertThat(c.before().get("full_name")).isEqualTo("Bo");
        });
    }

    @Test
    void shouldNeverCompareOrOverwriteAColumnTheMappingOnlyDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, "tables:\n  - v1: customers\n    v2: clients\n    columns:\n"
                + "      - v2: tier\n        default: standard\n");
        TableMapping withDefault = MappingFiles.load(file, Map.of()).tables().get(0);
        TableInfo clients = new TableInfo("shop_v2", "clients", List.of(new ColumnInfo("id", "bigint", false, false),
                new ColumnInfo("name", "text", true, false), new ColumnInfo("tier", "text", false, true)),
                List.of("id"), true);
        ChangeTranslator t = new ChangeTranslator(withDefault, Direction.FORWARD, clients);
        Row v1 = Row.of(Map.of("id", 1L, "name", "Ada"));

        TargetChange insert = t.translate(change(SourceChange.Op.SNAPSHOT, null, v1)).get(0);
        assertThat(insert.after().get("tier")).as("a new row gets the default").isEqualTo("standard");
        assertThat(insert.columns()).as("an existing row keeps its tier").containsExactly("name");

        TargetChange delete = t.translate(change(SourceChange.Op.DELETE, v1, null)).get(0);
        assertThat(delete.columns()).containsExactly("name");
    }

    @Test
    void shouldNameTheKeyColumnWhenTheMappingDropsIt() {
        TableMapping dropsKey = new TableMapping("bad", "customers", "clients",
                row -> row.without("id"), row -> row, "bad.yaml:3");
        ChangeTranslator bad = new ChangeTranslator(dropsKey, Direction.FORWARD, CLIENTS);
        assertThatThrownBy(() -> bad.translate(change(SourceChange.Op.DELETE, row(5, "Bo", null), null)))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("key column 'id'")
                .hasMessageContaining("bad.yaml:3");
    }
}
