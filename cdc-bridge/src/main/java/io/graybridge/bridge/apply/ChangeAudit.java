package io.graybridge.bridge.apply;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.ColumnMasker;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.audit.JsonValues;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The audit events of one lane's writer: one {@code change.applied} per change it decided (applied, or
 * not applied because it lost a conflict or changed nothing), one {@code conflict.resolved} per conflict.
 * Ids are name-based UUIDs of the lane, the source position, the table, the key and the operation, so the
 * same change replayed after a crash gets the same id. Sensitive columns are hidden by the {@link ColumnMasker}.
 */
final class ChangeAudit {
    private final String bridge;
    private final String lane;
    private final String source;
    private final Direction direction;
    private final ColumnMasker masker;
    private final String policy;

    ChangeAudit(String bridge, Direction direction, ColumnMasker masker, String policy) {
        this.bridge = bridge;
        this.lane = direction.laneName();
        this.source = AuditEvent.source(bridge, lane);
        this.direction = direction;
        this.masker = masker;
        this.policy = policy;
    }

    /** The events of {@code change}, decided as {@code d}, in the order they belong in the outbox. */
    void add(List<AuditEvent> out, TargetChange change, RowDecision d, TableInfo table, String phase) {
        String key = ConflictLog.json(change.key());
        String subject = change.table() + "/" + key;
        String op = change.op().name().toLowerCase(Locale.ROOT);
        Instant time = change.sourceCommit() == null ? Instant.now() : change.sourceCommit();
        List<String> keyColumns = table.primaryKey();
        SourceChange origin = change.source();
        String sourceTable = origin == null ? null : origin.table();

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bridge", bridge);
        data.put("lane", lane);
        data.put("sourceSide", direction.source().id());
        data.put("targetSide", direction.target().id());
        data.put("mapping", change.mapping());
        data.put("sourceTable", sourceTable);
        data.put("table", change.table());
        data.put("key", JsonValues.of(change.key()));
        data.put("operation", op);
        data.put("sourceOperation", origin == null ? null : origin.op().name().toLowerCase(Locale.ROOT));
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("action", d.action().name().toLowerCase(Locale.ROOT));
        decision.put("columns", d.action() == RowDecision.Action.UPDATE ? d.setColumns() : null);
        decision.put("conflict", d.conflict() == null ? null : d.conflict().kind().name());
        decision.put("winner", d.conflict() == null ? null : d.winner().id());
        data.put("decision", decision);
        Map<String, Object> before = masker.apply(change.table(), change.before(), keyColumns);
        Map<String, Object> after = masker.apply(change.table(), change.after(), keyColumns);
        data.put("before", before);
        data.put("after", after);
        // the source images are left out when they say nothing new: same table, same columns and values (an
        // identity mapping), which halves the event of every table the release does not change; compared before
        // masking, so they are masked only when they go in
        if (origin != null && (!change.table().equals(sourceTable) || !Objects.equals(change.before(), origin.before())
                || !Objects.equals(change.after(), origin.after()))) {
            data.put("sourceBefore", masker.apply(sourceTable, origin.before(), List.of()));
            data.put("sourceAfter", masker.apply(sourceTable, origin.after(), List.of()));
        } else if (origin == null) {
            data.put("sourceBefore", null);
            data.put("sourceAfter", null);
        }
        data.put("position", change.position());
        data.put("transaction", origin == null ? null : origin.txId());
        data.put("commitTime", change.sourceCommit() == null ? null : change.sourceCommit().toString());
        data.put("phase", phase);
        // a backfill row is named by its key alone: a backfill that runs again (a crash during the snapshot)
        // re-reads it at another position, and must not make a second event of it
        String at = change.op() == TargetChange.Op.SNAPSHOT ? "backfill" : String.valueOf(change.position());
        String id = AuditEvent.stableId("change", source, at, change.table(), key, op);
        out.add(new AuditEvent(id, source, EventType.CHANGE_APPLIED, subject, time, subject, data));

        Conflict k = d.conflict();
        if (k != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("bridge", bridge);
            c.put("lane", lane);
            c.put("table", k.table());
            c.put("key", JsonValues.of(k.key()));
            c.put("kind", k.kind().name());
            c.put("columns", k.columns());
            c.put("incomingSide", k.incomingSide().id());
            c.put("incomingBefore", masker.apply(k.table(), k.incomingBefore(), keyColumns));
            c.put("incomingAfter", masker.apply(k.table(), k.incomingAfter(), keyColumns));
            c.put("incomingCommit", k.incomingCommit() == null ? null : k.incomingCommit().toString());
            c.put("current", masker.apply(k.table(), k.current(), keyColumns));
            c.put("currentCommit", k.currentCommit() == null ? null : k.currentCommit().toString());
            c.put("policy", policy);
            c.put("phase", phase);
            c.put("winner", d.winner().id());
            c.put("position", change.position());
            c.put("changeId", id);
            out.add(new AuditEvent(AuditEvent.stableId("conflict", source, at, change.table(), key, op), source, EventType.CONFLICT_RESOLVED, subject, time, subject, c));
        }
    }
}
