package io.graybridge.bridge.lifecycle;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a gray release stands, and the moves between phases. Pure rules: no database here.
 *
 * <pre>
 * backfill --(v1-to-v2 snapshot done, by itself)--> dual
 * dual ------promote--> promoted ----finalize--> finalized
 * dual -----rollback--> rolled-back --finalize--> finalized
 * promoted --rollback--> rolled-back      (roll back after promotion)
 * rolled-back --promote--> promoted       (promote again after a rollback drill)
 * </pre>
 *
 * Both lanes run in every phase but {@code finalized}; v2 is primary only in {@code promoted}.
 */
public enum Phase {
    BACKFILL("backfill"),
    DUAL("dual"),
    PROMOTED("promoted"),
    ROLLED_BACK("rolled-back"),
    FINALIZED("finalized");

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    /** The stored and printed name: {@code rolled-back}. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /** The phase named {@code id}, or empty for an unknown name. */
    public static Optional<Phase> of(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    /** Whether the lanes run in this phase (every phase but {@code finalized}). */
    public boolean lanesRun() {
        return this != FINALIZED;
    }

    /** The operator commands that move the phase. */
    public enum Command {
        PROMOTE("promote"),
        ROLLBACK("rollback"),
        FINALIZE("finalize");

        private final String id;

        Command(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** Where {@code command} leads: promote to promoted, rollback to rolled-back, finalize to finalized. */
    public static Phase target(Command command) {
        return switch (command) {
            case PROMOTE -> PROMOTED;
            case ROLLBACK -> ROLLED_BACK;
            case FINALIZE -> FINALIZED;
        };
    }

    /** The operator commands legal from this phase, in the order a release usually takes them. */
    public List<Command> legalCommands() {
        return switch (this) {
            case BACKFILL, FINALIZED -> List.of();
            case DUAL -> List.of(Command.PROMOTE, Command.ROLLBACK);
            case PROMOTED -> List.of(Command.FINALIZE, Command.ROLLBACK);
            case ROLLED_BACK -> List.of(Command.FINALIZE, Command.PROMOTE);
        };
    }

    /**
     * The gate a move from this phase with {@code command} must pass: {@code promote} or {@code rollback}. A
     * finalize retires one side for good, so it passes the gate of the move that made the phase: in
     * {@code promoted} the promote gate (everything written on v1 reached v2), in {@code rolled-back} the
     * rollback gate (everything written on v2 reached v1).
     */
    public String gateAction(Command command) {
        return switch (command) {
            case PROMOTE -> "promote";
            case ROLLBACK -> "rollback";
            case FINALIZE -> this == ROLLED_BACK ? "rollback" : "promote";
        };
    }

    /** What a command does when run in this phase. */
    public sealed interface Move permits Move.Go, Move.AlreadyThere, Move.Illegal {
        /** The phase changes from {@code from} to {@code to}. */
        record Go(Phase from, Phase to) implements Move {}

        /** Nothing to do: the release is there already (a retry, or a second operator). */
        record AlreadyThere(Phase phase) implements Move {}

        /** Not allowed from here; {@code message} names the phase and the legal next steps. */
        record Illegal(String message) implements Move {}
    }

    /** What {@code command} does in this phase. */
    public Move move(Command command) {
        Phase to = target(command);
        if (to == this) {
            return new Move.AlreadyThere(this);
        }
        if (legalCommands().contains(command)) {
            return new Move.Go(this, to);
        }
        return new Move.Illegal("cannot " + command + ": the release is in phase '" + this + "'; " + nextSteps());
    }

    /** The legal next steps from this phase, in words for an operator. */
    public String nextSteps() {
        return switch (this) {
            case BACKFILL -> "the v1-to-v2 lane is still copying the existing rows (its initial snapshot); the phase"
                    + " becomes 'dual' by itself once that lane streams (graybridge status shows it), and promote or"
                    + " rollback can follow";
            case FINALIZED -> "the release is finalized and its lanes are stopped for good; nothing follows (a new"
                    + " release needs a new bridge, with a new bridge.name)";
            default -> "legal next steps: " + String.join(" or ", legalCommands().stream()
                    .map(c -> "graybridge " + c + " (to " + target(c) + ")").toList());
        };
    }

    /** The phase named {@code id}, failing with a message that names the stored value. */
    public static Phase parse(String id) {
        return of(id).orElseThrow(() -> new IllegalArgumentException("unknown phase '" + id + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(Phase::id).toList()) + ")"));
    }
}
