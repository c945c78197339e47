package io.graybridge.bridge.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.MappingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order a lane's backfill reads its source tables in: a merge's owner part before the other parts. */
class CaptureOrderTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadTheOwnerPartOfAMergeFirstWhateverTheConfiguredOrder() throws Exception {
        Path file = dir.resolve("merge.yaml");
        Files.writeString(file, """
                tables:
                  - v1: orders
                  - v2: products
                    key: id
                    merge:
                      - v1: stock
                        columns: [{v1: product_id, v2: id}, quantity]
                      - v1: products
                        owns-deletes: true
                        columns: [name]
                """);
        MappingSet mappings = MappingFiles.load(file, Map.of());
        Map<String, List<TableMapping>> bySource = new LinkedHashMap<>();
        for (String table : List.of("stock", "orders", "products")) {
            bySource.put(table, new ArrayList<>(mappings.forTableAll(io.graybridge.mapping.Side.V1, table)));
        }
        assertThat(Lane.captureOrder(bySource, Direction.FORWARD)).containsExactly("products", "stock", "orders");

        Map<String, List<TableMapping>> whole = new LinkedHashMap<>();
        whole.put("products", mappings.forTableAll(io.graybridge.mapping.Side.V2, "products"));
        whole.put("orders", mappings.forTableAll(io.graybridge.mapping.Side.V2, "orders"));
        assertThat(Lane.captureOrder(whole, Direction.BACKWARD)).containsExactly("products", "orders");
    }
}
