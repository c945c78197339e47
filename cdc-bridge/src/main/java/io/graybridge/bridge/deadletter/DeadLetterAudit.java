package io.graybridge.bridge.deadletter;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.mapping.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code io.graybridge.deadletter} audit events of a batch's dead letters
 * (docs/audit/schemas/deadletter.v1.json), appended to the target's outbox in the transaction that records
 * them, so an auditor sees every change the bridge did not apply, with its masked rows. Ids are stable per
 * (lane, position, table, key, operation), so a replay after a crash carries the same ids.
 */
public final class DeadLetterAudit {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final String bridge;
    private final String lane;
    private final String source;
    private final ColumnMasker masker;
    private final Function<String, List<String>> keyColumns;

    /**
     * @param keyColumns a source table's primary key columns (never masked; empty when unknown)
     */
    public DeadLetterAudit(String bridge, String lane, ColumnMasker masker, Function<String, List<String>> keyColumns) {
        this.bridge = bridge;
        this.lane = lane;
        this.source = AuditEvent.source(bridge, lane);
        this.masker = masker;
        this.keyColumns = keyColumns;
    }

    /** One event per dead letter, in order. */
    public List<AuditEvent> events(List<DeadLetter> letters) {
        List<AuditEvent> out = new ArrayList<>(letters.size());
        for (DeadLetter d : letters) {
            SourceChange c = d.change();
            List<String> key = keyColumns.apply(c.table());
            Row row = c.after() != null ? c.after() : c.before();
            Map<String, Object> keyValues = null;
            if (!key.isEmpty() && key.stream().allMatch(row::has)) {
                Map<String, Object> k = new LinkedHashMap<>();
                key.forEach(column -> k.put(column, row.get(column)));
                keyValues = masker.apply(c.table(), Row.of(k), key);
            }
            String op = c.op().name().toLowerCase(Locale.ROOT);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("bridge", bridge);
            data.put("lane", lane);
            data.put("table", c.table());
            data.put("key", keyValues);
            data.put("operation", op);
            data.put("reason", d.reason() == DeadLetter.Reason.FAILED
                    ? String.valueOf(d.error())
                    : "held: the table is paused by an earlier dead letter (" + d.error() + ")");
            data.put("stage", "map");
            data.put("sourceBefore", masker.apply(c.table(), c.before(), key));
            data.put("sourceAfter", masker.apply(c.table(), c.after(), key));
            data.put("position", c.position());
            data.put("transaction", c.txId());
            data.put("commitTime", c.commitTime() == null ? null : c.commitTime().toString());
            data.put("policy", d.policy().name().toLowerCase(Locale.ROOT));
            String subject = c.table() + "/" + (keyValues == null ? d.key() : json(keyValues));
            out.add(new AuditEvent(AuditEvent.stableId("deadletter", source, String.valueOf(c.position()), c.table(),
                    d.key(), op), source, EventType.DEADLETTER, subject,
                    c.commitTime() == null ? java.time.Instant.now() : c.commitTime(), subject, data));
        }
        return out;
    }

    private static String json(Map<String, Object> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render a dead letter's key as JSON", e);
        }
    }
}
