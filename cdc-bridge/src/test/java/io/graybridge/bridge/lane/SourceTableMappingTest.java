package io.graybridge.bridge.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.apply.RowDecision;
import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.conflict.ConflictResolvers;
import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v1 table split into two v2 tables, through the lane's map stage in both directions. */
class SourceTableMappingTest {
    private static final String SPLIT = """
            version: 1
            tables:
              - v1: customers
                key: id
                split:
                  - v2: customers
                    owns-deletes: true
                    columns: [name]
                  - v2: customer_addresses
                    columns:
                      - {v1: id, v2: customer_id}
                      - street
            """;

    private static final TableInfo V1_CUSTOMERS = table("shop_v1", "customers", "id", "id", "name", "street");
    private static final TableInfo V2_CUSTOMERS = table("shop_v2", "customers", "id", "id", "name");
    private static final TableInfo V2_ADDRESSES = table("shop_v2", "customer_addresses", "customer_id", "customer_id",
            "street");

    @TempDir
    static Path dir;

    private static MappingSet mappings;

    @BeforeAll
    static void readMapping() throws IOException {
        Path file = dir.resolve("split.yaml");
        Files.writeString(file, SPLIT);
        mappings = MappingFiles.load(file, Map.of());
    }

    private static TableInfo table(String schema, String name, String key, String... columns) {
        return new TableInfo(schema, name, java.util.Arrays.stream(columns)
                .map(c -> new ColumnInfo(c, c.endsWith("id") ? "bigint" : "text", true, false)).toList(), List.of(key), true);
    }

    private static Row row(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return Row.of(m);
    }

    private static SourceChange change(Side side, String table, SourceChange.Op op, Row before, Row after) {
        return new SourceChange(side, table, op, before, after, "0/1", "7", Instant.EPOCH);
    }

    private static SourceTableMapping forward() {
        return SourceTableMapping.of(mappings.forTableAll(Side.V1, "customers"), Direction.FORWARD,
                Map.of("customers", V2_CUSTOMERS, "customer_addresses", V2_ADDRESSES));
    }

    private static SourceTableMapping backward(String v2Table) {
        return SourceTableMapping.of(mappings.forTableAll(Side.V2, v2Table), Direction.BACKWARD,
                Map.of("customers", V1_CUSTOMERS));
    }

    private static List<String> ops(List<TargetChange> changes) {
        return changes.stream().map(c -> c.op() + " " + c.table() + " " + c.key()).toList();
    }

    @Test
    void shouldInsertEveryPartOwnerFirst() {
        List<TargetChange> out = forward().translate(change(Side.V1, "customers", SourceChange.Op.INSERT, null,
                row("id", 1L, "name", "Ada", "street", "Main St")));
        assertThat(ops(out)).containsExactly("INSERT customers {id=1}", "INSERT customer_addresses {customer_id=1}");
        assertThat(out.get(0).after()).isEqualTo(row("id", 1L, "name", "Ada"));
        assertThat(out.get(1).after()).isEqualTo(row("customer_id", 1L, "street", "Main St"));
    }

    @Test
    void shouldUpdateOnlyThePartWhoseColumnsChanged() {
        List<TargetChange> out = forward().translate(change(Side.V1, "customers", SourceChange.Op.UPDATE,
                row("id", 1L, "name", "Ada", "street", "Main St"), row("id", 1L, "name", "Ada", "street", "High St")));
        assertThat(out).extracting(TargetChange::changed)
                .containsExactly(List.of(), List.of("street"));
    }

    @Test
    void shouldDeleteEveryPartOwnerLast() {
        List<TargetChange> out = forward().translate(change(Side.V1, "customers", SourceChange.Op.DELETE,
                row("id", 1L, "name", "Ada", "street", "Main St"), null));
        assertThat(ops(out)).containsExactly("DELETE customer_addresses {customer_id=1}", "DELETE customers {id=1}");
    }

    @Test
    void shouldMoveEveryPartOnAKeyChangeDeletingOwnerLastAndInsertingOwnerFirst() {
        List<TargetChange> out = forward().translate(change(Side.V1, "customers", SourceChange.Op.UPDATE,
                row("id", 1L, "name", "Ada", "street", "Main St"), row("id", 2L, "name", "Ada", "street", "Main St")));
        assertThat(ops(out)).containsExactly("DELETE customer_addresses {customer_id=1}", "DELETE customers {id=1}",
                "INSERT customers {id=2}", "INSERT customer_addresses {customer_id=2}");
    }

    @Test
    void shouldSetAndClearTheColumnsOfAPartThatDoesNotOwnDeletes() {
        SourceTableMapping addresses = backward("customer_addresses");
        List<TargetChange> inserted = addresses.translate(change(Side.V2, "customer_addresses", SourceChange.Op.INSERT,
                null, row("customer_id", 1L, "street", "Main St")));
        assertThat(inserted).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(TargetChange.Op.UPDATE);
            assertThat(c.table()).isEqualTo("customers");
            assertThat(c.before()).isEqualTo(row("id", 1L, "street", null));
            assertThat(c.after()).isEqualTo(row("id", 1L, "street", "Main St"));
            assertThat(c.changed()).containsExactly("street");
        });
        List<TargetChange> deleted = addresses.translate(change(Side.V2, "customer_addresses", SourceChange.Op.DELETE,
                row("customer_id", 1L, "street", "Main St"), null));
        assertThat(deleted).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(TargetChange.Op.CLEAR);
            assertThat(c.after()).isEqualTo(row("id", 1L, "street", null));
        });
        List<TargetChange> moved = addresses.translate(change(Side.V2, "customer_addresses", SourceChange.Op.UPDATE,
                row("customer_id", 1L, "street", "Main St"), row("customer_id", 2L, "street", "Main St")));
        assertThat(ops(moved)).containsExactly("CLEAR customers {id=1}", "UPDATE customers {id=2}");
    }

    @Test
    void shouldDeleteTheWholeRowWhenTheOwnerPartIsDeleted() {
        List<TargetChange> out = backward("customers").translate(change(Side.V2, "customers", SourceChange.Op.DELETE,
                row("id", 1L, "name", "Ada"), null));
        assertThat(ops(out)).containsExactly("DELETE customers {id=1}");
        assertThat(out.get(0).columns()).containsExactly("name");
    }

    @Test
    void shouldWriteAPartsColumnsIntoARowTheSameBatchInsertedWithTheOwnersColumnsOnly() {
        List<TargetChange> owner = backward("customers").translate(change(Side.V2, "customers", SourceChange.Op.INSERT,
                null, row("id", 1L, "name", "Ada")));
        List<TargetChange> part = backward("customer_addresses").translate(change(Side.V2, "customer_addresses",
                SourceChange.Op.INSERT, null, row("customer_id", 1L, "street", "Main St")));
        RowDecision first = RowDecision.decide(owner.get(0), null, null, Side.V2, ConflictResolvers.named("v1-wins"), "dual");
        Row afterFirst = first.resultingRow(null);
        RowDecision second = RowDecision.decide(part.get(0), afterFirst, null, Side.V2,
                ConflictResolvers.named("v1-wins"), "dual");
        assertThat(second.conflict()).isNull();
        assertThat(second.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(second.setColumns()).containsExactly("street");
    }

    @Test
    void shouldNotRecreateAWholeRowThatIsGoneWhenAPartIsCleared() {
        List<TargetChange> cleared = backward("customer_addresses").translate(change(Side.V2, "customer_addresses",
                SourceChange.Op.DELETE, row("customer_id", 1L, "street", "Main St"), null));
        RowDecision d = RowDecision.decide(cleared.get(0), null, null, Side.V2, ConflictResolvers.named("v1-wins"), "dual");
        assertThat(d.action()).isEqualTo(RowDecision.Action.NONE);
        assertThat(d.conflict()).isNull();
    }
}
