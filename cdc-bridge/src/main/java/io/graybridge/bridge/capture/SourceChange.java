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
 * @param commitPosition the source position of the change's transaction's commit, comparable in commit order
 *     ({@link SourcePositions}); {@link SourcePositions#NONE} for snapshot rows and changes not captured from a log
 * @param seen how far the other side's changes had been delivered into this side when this change was made: the
 *     greatest position (in the other side's order) carried by a marker of the reverse lane that committed on this
 *     side before this change; {@link SourcePositions#NONE} when no such marker was seen yet, {@link
 *     SourcePositions#UNKNOWN} when not known (changes not captured from a log: tests, dead letters re-read)
 * @param stamp the write's latest-wins stamp ({@link CaptureKnowledge#stamp}: its commit time in milliseconds, raised to
 *     order after the version it overwrote), computed by capture in log order; {@code null} when capture keeps no
 *     {@link CaptureKnowledge} (not {@code latest-wins} with both lanes on), for snapshot rows and changes not captured
 *     from a log
 */
public record SourceChange(
        Side side, String table, Op op, Row before, Row after, String position, String txId, Instant commitTime,
        long commitPosition, long seen, Instant stamp) {

    /** A change without a stamp. */
    public SourceChange(Side side, String table, Op op, Row before, Row after, String position, String txId,
            Instant commitTime, long commitPosition, long seen) {
        this(side, table, op, before, after, position, txId, commitTime, commitPosition, seen, null);
    }

    /** A change with no commit position and no seen position (tests, dead letters re-read from the metadata). */
    public SourceChange(
            Side side, String table, Op op, Row before, Row after, String position, String txId, Instant commitTime) {
        this(side, table, op, before, after, position, txId, commitTime, SourcePositions.NONE, SourcePositions.UNKNOWN);
    }

    public SourceChange {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        if (op == Op.DELETE ? before == null : after == null) {
            throw new IllegalArgumentException(op + " on " + table + " without its row image");
        }
    }

    /** This change with its transaction's commit position. */
    public SourceChange withCommitPosition(long commitPosition) {
        return new SourceChange(side, table, op, before, after, position, txId, commitTime, commitPosition, seen, stamp);
    }

    /** This change with another seen position (this one if it is the same). */
    public SourceChange withSeen(long seen) {
        return seen == this.seen ? this
                : new SourceChange(side, table, op, before, after, position, txId, commitTime, commitPosition, seen, stamp);
    }

    /** This change with its latest-wins stamp. */
    public SourceChange withStamp(Instant stamp) {
        return new SourceChange(side, table, op, before, after, position, txId, commitTime, commitPosition, seen, stamp);
    }

    /** Whether capture knows how far the other side was delivered when this change was made. */
    public boolean knowsSeen() {
        return seen != SourcePositions.UNKNOWN;
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
