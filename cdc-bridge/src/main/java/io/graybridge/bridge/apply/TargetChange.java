package io.graybridge.bridge.apply;

import io.graybridge.mapping.Row;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One captured change, translated to the target's shape: what the writer compares with the target's
 * current row and then applies.
 *
 * @param table the target table (unqualified)
 * @param op what the change does on the target
 * @param key the target key of the row it concerns
 * @param before the translated before image ({@code null} for inserts and snapshot rows)
 * @param after the translated after image ({@code null} for deletes)
 * @param columns the non-key columns it is about: for an update, the columns whose translated value
 *     changed; for an insert, a snapshot row or a delete, every column that carries source data (columns
 *     the mapping only fills with a default are left out, so a v2 value is never reset to a default)
 * @param sourceCommit when the change committed on its source side
 * @param position the source position, for records
 */
public record TargetChange(
        String table, Op op, Row key, Row before, Row after, List<String> columns, Instant sourceCommit, String position) {

    public TargetChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        columns = List.copyOf(columns);
        if (op == Op.DELETE ? before == null : after == null) {
            throw new IllegalArgumentException(op + " on " + table + " without its row image");
        }
    }

    /** What a change does on the target. */
    public enum Op {
        /** A backfill row: the source is the truth, it is written whatever the target holds. */
        SNAPSHOT,
        INSERT,
        UPDATE,
        DELETE
    }
}
