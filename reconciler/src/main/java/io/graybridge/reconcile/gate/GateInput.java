package io.graybridge.reconcile.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the gate decides on, as read from the bridge metadata (or a fresh reconcile). A {@code null} value
 * means it could not be read.
 *
 * @param action {@code promote} or {@code rollback}
 * @param drift the drift result the gate relies on, or {@code null} when there is none
 * @param lanes every lane of the bridge
 * @param openConflicts conflicts recorded since the drift result began
 * @param deadLetters rows waiting in the dead-letter table
 * @param verificationFindings continuous-verification findings since the drift result began
 */
public record GateInput(
        String action,
        Drift drift,
        List<Lane> lanes,
        Long openConflicts,
        Count deadLetters,
        Long verificationFindings) {

    public GateInput {
        Objects.requireNonNull(action, "action");
        lanes = List.copyOf(lanes);
    }

    /**
     * A drift result.
     *
     * @param verdict {@code clean}, {@code drift} or {@code could-not-check}
     * @param summary its one-line verdict
     * @param startedAt when its first read began
     * @param finishedAt when it finished
     */
    public record Drift(String verdict, String summary, Instant startedAt, Instant finishedAt) {}

    /**
     * One lane.
     *
     * @param name the lane
     * @param enabled whether the config runs it
     * @param running whether its capture streams now
     * @param lag how far behind it is, {@code null} when it never applied anything
     * @param caughtUp whether it applied everything its source had committed when the gate began, within the
     *     lag limit
     * @param note how it caught up, or why not
     */
    public record Lane(String name, boolean enabled, boolean running, Duration lag, boolean caughtUp, String note) {
        /** A lane that caught up, with its lag. */
        public Lane(String name, boolean enabled, boolean running, Duration lag) {
            this(name, enabled, running, lag, true, "");
        }
    }

    /**
     * A count with a note on where it came from, e.g. {@code dead letters not tracked}.
     *
     * @param value the count, {@code null} when it could not be read
     * @param note why the value is what it is, or empty
     */
    public record Count(Long value, String note) {
        public Count {
            note = note == null ? "" : note;
        }
    }
}
