package io.graybridge.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark suite's smoke run (issue 9: "CI runs only a smoke version that proves the harness works"):
 * every section runs on a few thousand rows and reports. Asserts the shape and sanity of the results,
 * never a speed.
 */
class BenchmarkSuiteIT {

    @Test
    void everySectionRunsAndReports() throws Exception {
        Path dir = BenchmarkSuite.run(BenchOptions.smoke());

        JsonNode root = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        List<String> sections = new ArrayList<>();
        root.get("sections").forEach(s -> sections.add(s.get("id").asText()));
        assertThat(sections).containsExactly("apply", "capture", "memory", "sustained");
        assertThat(root.get("machine").get("cores").asInt()).isPositive();
        assertThat(root.get("machine").get("postgresql").asText()).startsWith("PostgreSQL ");

        JsonNode apply = section(root, "apply").get("rows");
        // COPY, one lane row per swept batch size, naive
        assertThat(apply).hasSize(1 + BenchOptions.smoke().batchSizes().size() + 1);
        apply.forEach(r -> assertThat(r.get("rows/s").asDouble()).as(r.toString()).isPositive());
        assertThat(apply.get(0).get("method").asText()).startsWith("COPY BINARY");

        JsonNode capture = section(root, "capture").get("rows");
        assertThat(capture).hasSize(3);
        capture.forEach(r -> {
            assertThat(r.get("changes").asLong()).isEqualTo(BenchOptions.smoke().captureChanges());
            assertThat(r.get("changes/s").asDouble()).isPositive();
        });
        assertThat(section(root, "memory").get("rows").get(0).get("peak RSS MiB").asLong()).isPositive();

        JsonNode sustained = section(root, "sustained").get("rows");
        // one-way: one row per step; two-way: two rows (one per lane) per step
        assertThat(sustained).hasSize(3 * BenchOptions.smoke().steps().size());
        sustained.forEach(r -> assertThat(r.get("made/s").asDouble()).as(r.toString()).isPositive());

        assertThat(root.get("goals").size()).isGreaterThanOrEqualTo(4);
        assertThat(Files.readString(dir.resolve("results.md"))).contains("| COPY BINARY (physical limit) |");
        assertThat(Files.readString(dir.resolve("results.txt"))).contains("== Apply ceiling");
    }

    private static JsonNode section(JsonNode root, String id) {
        for (JsonNode s : root.get("sections")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no section " + id + " in " + root);
    }
}
