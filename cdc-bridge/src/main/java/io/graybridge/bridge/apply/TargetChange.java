package io.graybridge.bridge.apply;

import io.graybridge.bridge.capture.SourceChange;
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
 * @param columns the non-key columns that carry source data: the ones compared with the target's row and
 *     written (columns the mapping only fills with a default are left out, so a v2 value is never reset to
 *     a default)
 * @param changed for an update, the columns of {@code columns} whose translated value changed; otherwise
 *     the same as {@code columns}
 * @param sourceCommit when the change committed on its source side
 * @param position the source position, for records
 * @param mapping the name of the table mapping that translated it, for audit events ({@code null} when unknown)
 * @param source the captured change it was translated from, for audit events ({@code null} when unknown)
 */
public record TargetChange(
        String table,
        Op op,
        Row key,
        Row before,
        Row after,
        List<String> columns,
        List<String> changed,
        Instant sourceCommit,
        String position,
        String mapping,
        SourceChange source) {

    /** A change with no record of where it came from (tests, tools). */
    public TargetChange(String table, Op op, Row key, Row before, Row after, List<String> columns, List<String> changed,
            Instant sourceCommit, String position) {
        this(table, op, key, before, after, columns, changed, sourceCommit, position, null, null);
    }

    public TargetChange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        columns = List.copyOf(columns);
        changed = List.copyOf(changed);
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
        DELETE,
        /**
         * A row of a split (or merged) table's part disappeared on the parts side: the columns that part
         * carries become NULL in the whole row, as an update would set them; nothing happens when the whole
         * row is gone already (an update would re-insert it).
         */
        CLEAR
    }
}
