package io.graybridge.bridge.guard;

import io.graybridge.bridge.db.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The loop guard of one side: the writer marks every transaction it commits there, and capture of that side
 * recognises the mark, so every change of a marked transaction is dropped as an echo. The mark commits or rolls
 * back with the transaction, comes first in it, and carries the bridge's name, so two bridges on one database do
 * not hide each other's writes. Positions are stored only at transaction boundaries, so after a restart a
 * transaction is replayed whole, mark first, and dropped again.
 *
 * <p>One implementation per engine: {@link TransactionMarker} on PostgreSQL (a transactional logical decoding
 * message, no table), {@link MarkerTable} on MariaDB and MySQL (a row in the bridge's own metadata database, captured with
 * the application's tables; never {@code sql_log_bin=0}, which would hide the transaction from every replica).
 */
public interface LoopGuard {

    /**
     * Marks the open transaction on {@code c}. Call it first in the transaction, before any row is written.
     *
     * @param writer who writes: a lane name, {@code repair}
     */
    void mark(Connection c, String writer) throws SQLException;

    /**
     * Marks the open transaction on {@code c} as written by lane {@code writer}, carrying {@code delivered}: the
     * source position (in the lane's source's order, {@link io.graybridge.bridge.capture.SourcePositions}) of the
     * last source transaction the lane delivered into this side with this transaction, or {@link
     * io.graybridge.bridge.capture.SourcePositions#NONE}. Capture of this side keeps it as the {@code seen}
     * position of the application changes that follow (ARCHITECTURE.md, "Deletes").
     */
    void mark(Connection c, String writer, long delivered) throws SQLException;

    /**
     * As {@link #mark(Connection, String, long)}, also carrying the versions the transaction writes ({@code
     * latest-wins}, {@link MarkStamps}): one mark per {@value MarkStamps#MAX_PER_MARK} versions. Call it before any row
     * is written.
     */
    void mark(Connection c, String writer, long delivered, java.util.List<MarkStamps.Stamp> stamps) throws SQLException;

    /**
     * The versions {@code record} names when it is this bridge's mark written by {@code writer}, otherwise none (also for
     * marks carrying none).
     */
    java.util.List<MarkStamps.Stamp> stamps(SourceRecord record, String writer);

    /** Whether {@code record}, captured on this side, is this bridge's mark (its transaction is an echo). */
    boolean isOwnMarker(SourceRecord record);

    /**
     * The delivered position {@code record} carries when it is this bridge's mark written by {@code writer},
     * otherwise {@link io.graybridge.bridge.capture.SourcePositions#NONE} (also for marks written before positions
     * were carried).
     */
    long deliveredPosition(SourceRecord record, String writer);

    /** Whether {@code record}, a mark of this bridge, is a watermark (a marked transaction with no rows). */
    boolean isWatermark(SourceRecord record);

    /** The guard of a side of {@code dialect}, for bridge {@code bridge} with its metadata in {@code metadataSchema}. */
    static LoopGuard of(Dialect dialect, String bridge, String metadataSchema) {
        return switch (dialect) {
            case POSTGRESQL -> new TransactionMarker.Guard(bridge);
            case MARIADB, MYSQL -> new MarkerTable(bridge, metadataSchema);
        };
    }
}
