package io.graybridge.bridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.mapping.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnMaskerTest {
    private static final Row ROW = row("id", 7L, "email", "ann@example.com", "name", "Ann");

    private static Row row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Row.of(m);
    }

    @Test
    void shouldMaskHashOrDropOnlyTheNamedColumnsOfTheNamedTable() {
        Set<String> cols = Set.of("clients.email", "clients.id");
        assertThat(new ColumnMasker(cols, AuditConfig.Masking.MASK, null).apply("clients", ROW, List.of("id")))
                .containsEntry("email", "****").containsEntry("name", "Ann").containsEntry("id", 7L);
        assertThat(new ColumnMasker(cols, AuditConfig.Masking.DROP, null).apply("clients", ROW, List.of("id")))
                .doesNotContainKey("email").containsKeys("id", "name");
        assertThat(new ColumnMasker(cols, AuditConfig.Masking.MASK, null).apply("orders", ROW, List.of("id")))
                .containsEntry("email", "ann@example.com");
    }

    @Test
    void shouldHashEqualValuesAlikeAndDependOnTheSalt() {
        ColumnMasker a = new ColumnMasker(Set.of("clients.email"), AuditConfig.Masking.HASH, "salt-a");
        ColumnMasker b = new ColumnMasker(Set.of("clients.email"), AuditConfig.Masking.HASH, "salt-b");

        Object hashed = a.apply("clients", ROW, List.of("id")).get("email");
        assertThat((String) hashed).startsWith("sha256:").hasSize(7 + 64).doesNotContain("ann");
        assertThat(a.apply("clients", ROW, List.of()).get("email")).isEqualTo(hashed);
        assertThat(b.apply("clients", ROW, List.of()).get("email")).isNotEqualTo(hashed);
        assertThat(a.apply("clients", row("id", 1L, "email", null), List.of()).get("email")).isNull();
    }

    @Test
    void shouldGiveTheSameIdToTheSameFactAndRenderCloudEvents() {
        String id = AuditEvent.stableId("change", "/graybridge/b/v1-to-v2", "0/16B3748", "clients", "{\"id\":7}", "update");
        assertThat(AuditEvent.stableId("change", "/graybridge/b/v1-to-v2", "0/16B3748", "clients", "{\"id\":7}", "update"))
                .isEqualTo(id);
        assertThat(AuditEvent.stableId("change", "/graybridge/b/v1-to-v2", "0/16B3749", "clients", "{\"id\":7}", "update"))
                .isNotEqualTo(id);

        String json = new AuditEvent(id, "/graybridge/b/v1-to-v2", EventType.CHANGE_APPLIED, "clients/{\"id\":7}",
                java.time.Instant.parse("2026-01-02T03:04:05Z"), "clients/{\"id\":7}", Map.of("k", 1)).toJson();
        assertThat(json).startsWith("{\"specversion\":\"1.0\",\"id\":\"" + id + "\"")
                .contains("\"type\":\"io.graybridge.change.applied\"", "\"dataschema\":\"urn:graybridge:audit:change.applied:v1\"",
                        "\"time\":\"2026-01-02T03:04:05Z\"", "\"data\":{\"k\":1}");
        assertThat(EventType.CHANGE_APPLIED.schemaFile()).isEqualTo("change.applied.v1.json");
    }
}
