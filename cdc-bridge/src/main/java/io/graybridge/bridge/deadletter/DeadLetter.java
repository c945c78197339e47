package io.graybridge.bridge.deadletter;

import io.graybridge.bridge.capture.SourceChange;
import java.time.Instant;
import java.util.Objects;

/**
 * One source change a lane did not apply: it failed mapping, or its table was paused by an earlier one.
 *
 * @param id its number in the target's {@code dead_letter} table (source order within a lane); 0 before it is stored
 * @param lane the lane that met it
 * @param change the source change, as captured (table, operation, before and after rows, position)
 * @param key the source row's key, readable
 * @param reason why it was not applied
 * @param policy the policy configured for its table when it was recorded
 * @param error the mapping error (for a held change: the error that paused its table)
 * @param attempts how many retries failed so far
 * @param recordedAt when it was recorded ({@code null} before it is stored)
 */
public record DeadLetter(
        long id, String lane, SourceChange change, String key, Reason reason, DeadLetterPolicy.Action policy,
        String error, int attempts, Instant recordedAt) {

    public DeadLetter {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(policy, "policy");
    }

    /** Why a change became a dead letter. */
    public enum Reason {
        /** Its mapping failed. */
        FAILED,
        /** Its table was paused by an earlier dead letter; held to keep the table's order. */
        HELD
    }

    public String table() {
        return change.table();
    }
}
