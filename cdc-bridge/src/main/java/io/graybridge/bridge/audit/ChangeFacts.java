package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.mapping.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The facts of one change a lane's writer decided, from which its {@code change.applied} event is rendered: what
 * the lane stores in its outbox, in its transaction, instead of the rendered event (see {@link AuditBundle}). The
 * relay renders the event when it publishes, masking included, so the lane's transaction no longer pays for the
 * JSON, the HMACs and the id. {@link #event} is the reference rendering, the one the writer did itself before:
 * same fields, same order, same bytes ({@code ChangeFactsRenderingTest} compares them with the former writer's).
 * The relay itself renders straight from the stored bytes with {@link FactsRenderer}, which gives the same bytes
 * ({@code FactsRendererTest}).
 *
 * <p>Row images are the unmasked canonical rows: they stay in the bridge's metadata on the target (beside the same
 * data in the application table) until the relay masks them on their way out.
 *
 * @param bridge the bridge's name
 * @param lane the lane ({@code v1-to-v2})
 * @param sourceSide the side the change was captured on ({@code v1})
 * @param targetSide the side it was applied to
 * @param mapping the table mapping that translated it, or {@code null}
 * @param sourceTable the captured table, or {@code null} when unknown
 * @param table the target table
 * @param key the target key
 * @param keyColumns the target table's key columns (never hidden in the target images)
 * @param operation what the change does on the target, lower case ({@code update}; {@code snapshot} for backfill)
 * @param sourceOperation what happened on the source, lower case, or {@code null} when unknown
 * @param action the writer's decision, lower case ({@code update}, {@code none}, ...)
 * @param setColumns the columns an update sets, or {@code null} for other actions
 * @param conflict the conflict kind, or {@code null}
 * @param winner the side that won the conflict, or {@code null}
 * @param before the translated before image, or {@code null}
 * @param after the translated after image, or {@code null}
 * @param sourceImages whether the event carries the captured images ({@link SourceImages})
 * @param sourceBefore the captured before image ({@code null} unless {@link SourceImages#CARRIED})
 * @param sourceAfter the captured after image ({@code null} unless {@link SourceImages#CARRIED})
 * @param position the source position
 * @param transaction the source transaction id, or {@code null}
 * @param commitTime the source commit time, or {@code null}
 * @param phase the release phase when the change was decided
 * @param time the event's time (the commit time, or when the writer decided a change without one)
 */
public record ChangeFacts(
        String bridge,
        String lane,
        String sourceSide,
        String targetSide,
        String mapping,
        String sourceTable,
        String table,
        Row key,
        List<String> keyColumns,
        String operation,
        String sourceOperation,
        String action,
        List<String> setColumns,
        String conflict,
        String winner,
        Row before,
        Row after,
        SourceImages sourceImages,
        Row sourceBefore,
        Row sourceAfter,
        String position,
        String transaction,
        Instant commitTime,
        String phase,
        Instant time) implements AuditRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChangeFacts {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keyColumns, "keyColumns");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(sourceImages, "sourceImages");
        Objects.requireNonNull(time, "time");
    }

    /** Whether and how the captured images go into the event. */
    public enum SourceImages {
        /** Left out: they say nothing the target images do not (same table, same columns and values). */
        OMITTED,
        /** Present as {@code null}: the captured change is unknown. */
        UNKNOWN,
        /** Present, masked like the target images (without key exemption). */
        CARRIED
    }

    /** The {@code source} of the event: the bridge and lane. */
    public String source() {
        return AuditEvent.source(bridge, lane);
    }

    /** The key as JSON text, as in the subject, the record key and the id ({@code {"id":42}}). */
    public String keyJson() {
        try {
            return JSON.writeValueAsString(JsonValues.of(key));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the key of a change to " + table + " as JSON", e);
        }
    }

    /**
     * The event's id: a name-based UUID of the lane, the source position, the table, the key and the operation, so
     * the same change replayed after a crash gets the same id. A backfill row is named by its key alone: a backfill
     * that runs again re-reads it at another position, and must not make a second event of it.
     */
    public String id() {
        return id(keyJson());
    }

    private String id(String keyJson) {
        String at = "snapshot".equals(operation) ? "backfill" : String.valueOf(position);
        return AuditEvent.stableId("change", source(), at, table, keyJson, operation);
    }

    /** The {@code change.applied} event, with the sensitive columns hidden by {@code masker}. */
    public AuditEvent event(ColumnMasker masker) {
        String keyJson = keyJson();
        String subject = table + "/" + keyJson;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bridge", bridge);
        data.put("lane", lane);
        data.put("sourceSide", sourceSide);
        data.put("targetSide", targetSide);
        data.put("mapping", mapping);
        data.put("sourceTable", sourceTable);
        data.put("table", table);
        data.put("key", JsonValues.of(key));
        data.put("operation", operation);
        data.put("sourceOperation", sourceOperation);
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("action", action);
        decision.put("columns", setColumns);
        decision.put("conflict", conflict);
        decision.put("winner", winner);
        data.put("decision", decision);
        data.put("before", masker.apply(table, before, keyColumns));
        data.put("after", masker.apply(table, after, keyColumns));
        switch (sourceImages) {
            case CARRIED -> {
                data.put("sourceBefore", masker.apply(sourceTable, sourceBefore, List.of()));
                data.put("sourceAfter", masker.apply(sourceTable, sourceAfter, List.of()));
            }
            case UNKNOWN -> {
                data.put("sourceBefore", null);
                data.put("sourceAfter", null);
            }
            case OMITTED -> { }
        }
        data.put("position", position);
        data.put("transaction", transaction);
        data.put("commitTime", commitTime == null ? null : commitTime.toString());
        data.put("phase", phase);
        return new AuditEvent(id(keyJson), source(), EventType.CHANGE_APPLIED, subject, time, subject, data);
    }
}
