package io.graybridge.bridge.apply;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.AuditRecord;
import io.graybridge.bridge.audit.ChangeFacts;
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
 * The audit records of one lane's writer: one {@code change.applied} per change it decided (applied, or not applied
 * because it lost a conflict or changed nothing), stored as its {@link ChangeFacts} for the relay to render, and one
 * {@code conflict.resolved} per conflict, rendered here. Ids are name-based UUIDs of the lane, the source position,
 * the table, the key and the operation, so the same change replayed after a crash gets the same id. Sensitive
 * columns are hidden by the {@link ColumnMasker} (by the relay's for the facts, when it renders them).
 */
final class ChangeAudit {
    private final String bridge;
    private final String lane;
    private final String source;
    private final String sourceSide;
    private final String targetSide;
    private final ColumnMasker masker;
    private final String policy;

    ChangeAudit(String bridge, Direction direction, ColumnMasker masker, String policy) {
        this.bridge = bridge;
        this.lane = direction.laneName();
        this.source = AuditEvent.source(bridge, lane);
        this.sourceSide = direction.source().id();
        this.targetSide = direction.target().id();
        this.masker = masker;
        this.policy = policy;
    }

    /** The records of {@code change}, decided as {@code d}, in the order they belong in the outbox. */
    void add(List<AuditRecord> out, TargetChange change, RowDecision d, TableInfo table, String phase) {
        Instant time = change.sourceCommit() == null ? Instant.now() : change.sourceCommit();
        SourceChange origin = change.source();
        String sourceTable = origin == null ? null : origin.table();
        // the source images are left out when they say nothing new: same table, same columns and values (an
        // identity mapping), which halves the event of every table the release does not change
        ChangeFacts.SourceImages images = origin == null ? ChangeFacts.SourceImages.UNKNOWN
                : !change.table().equals(sourceTable) || !Objects.equals(change.before(), origin.before())
                        || !Objects.equals(change.after(), origin.after()) ? ChangeFacts.SourceImages.CARRIED
                        : ChangeFacts.SourceImages.OMITTED;
        boolean carried = images == ChangeFacts.SourceImages.CARRIED;
        ChangeFacts facts = new ChangeFacts(bridge, lane, sourceSide, targetSide, change.mapping(), sourceTable,
                change.table(), change.key(), table.primaryKey(), lowerCase(change.op()),
                origin == null ? null : lowerCase(origin.op()), lowerCase(d.action()),
                d.action() == RowDecision.Action.UPDATE ? d.setColumns() : null,
                d.conflict() == null ? null : d.conflict().kind().name(), d.conflict() == null ? null : d.winner().id(),
                change.before(), change.after(), images, carried ? origin.before() : null, carried ? origin.after() : null,
                change.position(), origin == null ? null : origin.txId(), change.sourceCommit(), phase, time);
        out.add(facts);

        Conflict k = d.conflict();
        if (k != null) {
            List<String> keyColumns = table.primaryKey();
            String key = facts.keyJson();
            String subject = change.table() + "/" + key;
            String op = facts.operation();
            String at = change.op() == TargetChange.Op.SNAPSHOT ? "backfill" : String.valueOf(change.position());
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
            c.put("changeId", facts.id());
            out.add(new AuditEvent(AuditEvent.stableId("conflict", source, at, change.table(), key, op), source, EventType.CONFLICT_RESOLVED, subject, time, subject, c));
        }
    }

    /** An enum constant's name in lower case, computed once per constant (this runs for every applied change). */
    private static String lowerCase(Enum<?> e) {
        return LOWER_CASE.get(e.getDeclaringClass())[e.ordinal()];
    }

    private static final ClassValue<String[]> LOWER_CASE = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return names;
        }
    };
}
