package io.graybridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.yaml.MappingFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table split and merge: each part a mapping projecting its columns, plus the group's metadata. */
class TableGroupTest {
    @TempDir
    Path dir;

    private MappingSet load(String yaml) throws IOException {
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, yaml);
        return MappingFiles.load(f, Map.of());
    }

    static Row row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of(m);
    }

    private static final String SPLIT = """
            tables:
              - v1: customers
                key: id
                split:
                  - v2: customer_addresses
                    columns:
                      - v1: id
                        v2: customer_id
                      - street
                      - city
                  - v2: customers
                    owns-deletes: true
                    columns:
                      - name
                      - email
            """;

    @Test
    void shouldSplitOneTableIntoPartsThatShareItsKey() throws IOException {
        MappingSet set = load(SPLIT);
        List<TableMapping> parts = set.forTableAll(Side.V1, "customers");
        assertThat(parts).extracting(TableMapping::v2Table).containsExactly("customers", "customer_addresses");
        Row v1 = row("id", 1L, "name", "Ada", "email", "a@x", "street", "1 Main St", "city", "Paris");
        assertThat(parts.get(0).translate(Direction.FORWARD, v1)).isEqualTo(row("id", 1L, "name", "Ada", "email", "a@x"));
        assertThat(parts.get(1).translate(Direction.FORWARD, v1))
                .isEqualTo(row("customer_id", 1L, "street", "1 Main St", "city", "Paris"));
        assertThat(parts.get(1).translate(Direction.BACKWARD, row("customer_id", 1L, "street", "2 Side St", "city", "Lyon")))
                .isEqualTo(row("id", 1L, "street", "2 Side St", "city", "Lyon"));
        assertThat(set.forTable(Side.V1, "customers")).contains(parts.get(0));
    }

    @Test
    void shouldDescribeTheGroupForTheLane() throws IOException {
        MappingSet set = load(SPLIT);
        TableGroup group = MappingSet.group(set.forTableAll(Side.V2, "customer_addresses").get(0)).orElseThrow();
        assertThat(group.kind()).isEqualTo(TableGroup.Kind.SPLIT);
        assertThat(group.wholeSide()).isEqualTo(Side.V1);
        assertThat(group.partsSide()).isEqualTo(Side.V2);
        assertThat(group.wholeTable()).isEqualTo("customers");
        assertThat(group.key()).containsExactly("id");
        assertThat(group.partTables()).containsExactly("customers", "customer_addresses");
        assertThat(group.ownsDeletes("customers")).isTrue();
        assertThat(group.ownsDeletes("customer_addresses")).isFalse();
        assertThat(set.groups()).containsExactly(group);
    }

    @Test
    void shouldMergeSeveralTablesIntoOne() throws IOException {
        MappingSet set = load("""
                tables:
                  - v2: accounts
                    key: id
                    merge:
                      - v1: accounts
                        columns: [login]
                      - v1: account_settings
                        columns:
                          - v1: account_id
                            v2: id
                          - v1: dark
                            convert: boolean-to-char
                            flags: {true: Y, false: N}
                """);
        List<TableMapping> parts = set.forTableAll(Side.V2, "accounts");
        assertThat(parts).extracting(TableMapping::v1Table).containsExactly("accounts", "account_settings");
        Row v2 = row("id", 5L, "login", "ada", "dark", "Y");
        assertThat(parts.get(1).translate(Direction.BACKWARD, v2)).isEqualTo(row("account_id", 5L, "dark", true));
        assertThat(parts.get(1).translate(Direction.FORWARD, row("account_id", 5L, "dark", false)))
                .isEqualTo(row("id", 5L, "dark", "N"));
        TableGroup group = MappingSet.group(parts.get(0)).orElseThrow();
        assertThat(group.kind()).isEqualTo(TableGroup.Kind.MERGE);
        assertThat(group.deleteOwner()).isEqualTo("accounts");
    }

    @Test
    void shouldRefuseAGroupWithOneOwnerTooMany() {
        assertThatThrownBy(() -> load("""
                tables:
                  - v1: customers
                    key: id
                    split:
                      - v2: a
                        owns-deletes: true
                        columns: [x]
                      - v2: b
                        owns-deletes: true
                        columns: [y]
                """)).isInstanceOf(ProblemsException.class).hasMessageContaining("only one part can own deletes");
    }

    @Test
    void shouldRequireTheSharedKey() {
        assertThatThrownBy(() -> load("""
                tables:
                  - v1: customers
                    split:
                      - v2: a
                        columns: [x]
                      - v2: b
                        columns: [y]
                """)).isInstanceOf(ProblemsException.class).hasMessageContaining("missing required key 'tables[0].key'");
    }
}
