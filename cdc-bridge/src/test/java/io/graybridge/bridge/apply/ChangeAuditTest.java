package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.AuditRecord;
import io.graybridge.bridge.audit.ChangeFacts;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.conflict.BuiltInResolvers;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeAuditTest {
    private static final ColumnMasker MASKER =
            new ColumnMasker(Set.of("clients.email", "customers.email"), AuditConfig.Masking.HASH, "salt");
    private static final ChangeAudit AUDIT = new ChangeAudit("b", Direction.FORWARD, MASKER, "v1-wins");

    private static Row row(Object id, String nameColumn, Object name, Object email) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put(nameColumn, name);
        m.put("email", email);
        return Row.of(m);
    }

    private static Map<String, Object> data(String sourceTable, String nameColumn) {
        Row before = row(1L, "name", "Ada", "ada@mail.test");
        Row after = row(1L, "name", "Ada L.", "ada@mail.test");
        SourceChange origin = new SourceChange(Side.V1, sourceTable, SourceChange.Op.UPDATE,
                row(1L, nameColumn, "Ada", "ada@mail.test"), row(1L, nameColumn, "Ada L.", "ada@mail.test"), "0/1", "7",
                Instant.EPOCH);
        TargetChange change = new TargetChange("clients", TargetChange.Op.UPDATE, Row.of(Map.of("id", 1L)), before, after,
                List.of("id", "name", "email"), List.of("name"), Instant.EPOCH, "0/1", "m", origin);
        RowDecision d = RowDecision.decide(change, before, null, Side.V1, new BuiltInResolvers.V1Wins(), "dual");
        List<AuditRecord> out = new ArrayList<>();
        AUDIT.add(out, change, d, new TableInfo("s", "clients", List.of(), List.of("id"), true), "dual");
        assertThat(out).hasSize(1);
        AuditEvent event = ((ChangeFacts) out.get(0)).event(MASKER);
        assertThat(event.toJson()).doesNotContain("ada@mail.test");
        return event.data();
    }

    @Test
    void shouldLeaveOutTheSourceImagesWhenTheMappingIsTheIdentityForTheRow() {
        Map<String, Object> data = data("clients", "name");
        assertThat(data).doesNotContainKeys("sourceBefore", "sourceAfter").containsKeys("before", "after");
        assertThat(data.get("sourceTable")).isEqualTo("clients");
    }

    @Test
    void shouldKeepTheSourceImagesWhenTheMappingRenamesTheTableOrAColumn() {
        assertThat(data("customers", "name")).containsKeys("sourceBefore", "sourceAfter");
        Map<String, Object> renamed = data("clients", "full_name");
        assertThat(renamed).containsKeys("sourceBefore", "sourceAfter");
        assertThat(((Map<?, ?>) renamed.get("sourceAfter")).get("full_name")).isEqualTo("Ada L.");
    }
}
