package io.graybridge.bridge.conflict;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.List;

/**
 * A change arriving on a lane for a row that the target side's own application changed since the
 * lane's last delivery for it, so the two versions compete.
 *
 * @param kind what collided
 * @param table the target table
 * @param key the row's key on the target
 * @param incomingSide the side the incoming change was made on (the lane's source)
 * @param incomingBefore the incoming change's before image, translated to the target's shape ({@code null}
 *     for an insert)
 * @param incomingAfter the incoming change's after image, translated ({@code null} for a delete)
 * @param incomingCommit when the incoming change committed on its side
 * @param current the target's current row ({@code null} when it is missing)
 * @param currentCommit when the target's current row version committed, or {@code null} when unknown
 *     (only read for policies that need it)
 * @param columns the columns in dispute (for an update: the changed columns whose target value also
 *     changed; otherwise every compared column that differs)
 * @param phase the release phase when the conflict was seen ({@code backfill}, {@code dual}, ...)
 */
public record Conflict(
        Kind kind,
        String table,
        Row key,
        Side incomingSide,
        Row incomingBefore,
        Row incomingAfter,
        Instant incomingCommit,
        Row current,
        Instant currentCommit,
        List<String> columns,
        String phase) {

    public Conflict {
        columns = List.copyOf(columns);
    }

    /** The side whose version is on the target now. */
    public Side currentSide() {
        return incomingSide.other();
    }

    /** What collided. */
    public enum Kind {
        /** Both sides inserted the same key with different values. */
        INSERT_INSERT,
        /** Both sides updated the same columns of a row. */
        UPDATE_UPDATE,
        /** An update arrived for a row the target deleted. */
        UPDATE_DELETE,
        /** A delete arrived for a row the target updated. */
        DELETE_UPDATE
    }
}
