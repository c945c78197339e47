package io.graybridge.bridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadLetterAuditTest {
    private static final Instant COMMIT = Instant.parse("2026-11-27T05:41:00Z");

    private static Row row(long id, String email, String status) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("email", email);
        v.put("status", status);
        return Row.of(v);
    }

    private static DeadLetter letter(DeadLetter.Reason reason) {
        SourceChange change = new SourceChange(Side.V1, "customers", SourceChange.Op.UPDATE, row(7, "a@x.test", "A"),
                row(7, "b@x.test", "X"), "0/1A2D000", "7790", COMMIT);
        return new DeadLetter(0, "v1-to-v2", change, "{id=7}", reason, DeadLetterPolicy.Action.PAUSE,
                "value 'X' of status has no entry in the value map", 0, null);
    }

    private final DeadLetterAudit audit = new DeadLetterAudit("shop", "v1-to-v2",
            new ColumnMasker(Set.of("customers.email"), AuditConfig.Masking.MASK, ""), table -> List.of("id"));

    @Test
    void describesTheChangeThatWasNotAppliedWithItsRowsMasked() {
        AuditEvent e = audit.events(List.of(letter(DeadLetter.Reason.FAILED))).get(0);
        assertThat(e.type()).isEqualTo(EventType.DEADLETTER);
        assertThat(e.source()).isEqualTo(AuditEvent.source("shop", "v1-to-v2"));
        assertThat(e.subject()).isEqualTo("customers/{\"id\":7}");
        Map<String, Object> data = e.data();
        assertThat(data).containsEntry("bridge", "shop").containsEntry("lane", "v1-to-v2").containsEntry("table", "customers")
                .containsEntry("operation", "update").containsEntry("stage", "map").containsEntry("policy", "pause")
                .containsEntry("position", "0/1A2D000").containsEntry("transaction", "7790")
                .containsEntry("commitTime", "2026-11-27T05:41:00Z")
                .containsEntry("reason", "value 'X' of status has no entry in the value map");
        assertThat(data.get("key")).isEqualTo(Map.of("id", 7L));
        assertThat(e.toJson()).contains("\"email\":\"****\"").doesNotContain("@x.test").contains("\"status\":\"X\"");
    }

    @Test
    void heldChangesSaySoAndIdsAreStableAcrossReplays() {
        AuditEvent held = audit.events(List.of(letter(DeadLetter.Reason.HELD))).get(0);
        assertThat((String) held.data().get("reason")).startsWith("held: the table is paused by an earlier dead letter");
        AuditEvent again = audit.events(List.of(letter(DeadLetter.Reason.HELD))).get(0);
        assertThat(again.id()).isEqualTo(held.id());
        assertThat(audit.events(List.of())).isEmpty();
    }
}
