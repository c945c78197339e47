package io.graybridge.bridge.capture;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.Objects;

/**
 * One captured row change, decoded from Debezium into canonical values.
 *
 * @param side where it was captured
 * @param table the source table (unqualified)
 * @param op what happened
 * @param before the row before the change ({@code null} for inserts and snapshot reads)
 * @param after the row after the change ({@code null} for deletes)
 * @param position the source position, readable (PostgreSQL LSN)
 * @param txId the source transaction id ({@code null} for snapshot reads)
 * @param commitTime the source commit time
 */
public record SourceChange(
        Side side, String table, Op op, Row before, Row after, String position, String txId, Instant commitTime) {

    public SourceChange {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        if (op == Op.DELETE ? before == null : after == null) {
            throw new IllegalArgumentException(op + " on " + table + " without its row image");
        }
    }

    /** What happened to the row. */
    public enum Op {
        /** A row read by the initial snapshot (backfill). */
        SNAPSHOT,
        INSERT,
        UPDATE,
        DELETE
    }
}
