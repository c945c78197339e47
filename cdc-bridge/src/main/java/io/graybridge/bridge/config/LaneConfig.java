package io.graybridge.bridge.config;

import io.graybridge.bridge.deadletter.DeadLetterPolicy;
import io.graybridge.mapping.Direction;

/**
 * Settings of one lane.
 *
 * @param direction which lane
 * @param enabled whether {@code run} starts it
 * @param slotName PostgreSQL replication slot on the source side (created if missing, reused on restart)
 * @param publicationName PostgreSQL publication on the source side (created if missing and the user may)
 * @param snapshot {@code initial}: copy existing rows first (backfill), then stream; {@code never}: stream only
 * @param batchSize most change events applied in one target transaction
 * @param pollIntervalMillis how long capture waits for more events before handing over a partial batch
 * @param deadLetters what the lane does after a change of a table fails mapping (pause the table, or skip)
 * @param readAhead most row changes capture hands to the apply thread ahead of what it applied (the queue's bound; a
 *     batch larger than it still goes in when the queue is empty); 0 or less: ten times {@code batchSize}
 */
public record LaneConfig(
        Direction direction,
        boolean enabled,
        String slotName,
        String publicationName,
        SnapshotMode snapshot,
        int batchSize,
        long pollIntervalMillis,
        DeadLetterPolicy deadLetters,
        int readAhead) {

    public LaneConfig {
        deadLetters = deadLetters == null ? DeadLetterPolicy.PAUSE : deadLetters;
        readAhead = readAhead > 0 ? readAhead : defaultReadAhead(batchSize);
    }

    /** The {@code read-ahead} a lane gets when it sets none: ten times its batch size (at least 1). */
    public static int defaultReadAhead(int batchSize) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, 10L * batchSize));
    }

    /** A lane with the default read-ahead (ten times its batch size). */
    public LaneConfig(Direction direction, boolean enabled, String slotName, String publicationName,
            SnapshotMode snapshot, int batchSize, long pollIntervalMillis, DeadLetterPolicy deadLetters) {
        this(direction, enabled, slotName, publicationName, snapshot, batchSize, pollIntervalMillis, deadLetters, 0);
    }

    /** A lane with the default dead-letter policy (pause). */
    public LaneConfig(Direction direction, boolean enabled, String slotName, String publicationName,
            SnapshotMode snapshot, int batchSize, long pollIntervalMillis) {
        this(direction, enabled, slotName, publicationName, snapshot, batchSize, pollIntervalMillis, DeadLetterPolicy.PAUSE,
                0);
    }

    public String name() {
        return direction.laneName();
    }

    public enum SnapshotMode {
        INITIAL,
        NEVER
    }
}
