package io.graybridge.bridge.lifecycle;

import io.graybridge.bridge.apply.CrashPoints;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.gate.GateRun;
import io.graybridge.bridge.metadata.MetadataSchema;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.reconcile.gate.GateDecision;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;

/**
 * One operator transition ({@code graybridge promote|rollback|finalize}): checks that the move is legal from
 * the stored phase, runs the gate the move needs, records the decision in the journal, then moves the phase
 * (see {@link PhaseJournal} for why that is safe to retry). Exit codes: 0 moved or already there, 1 the gate
 * failed, 2 could not decide or not allowed.
 */
public final class PhaseChange {
    /** Exit code: moved, or already there. */
    public static final int MOVED = 0;
    /** Exit code: the gate failed, the phase stays. */
    public static final int GATE_FAILED = 1;
    /** Exit code: could not decide, or the move is not allowed. */
    public static final int INVALID = 2;

    /**
     * What the operator asked.
     *
     * @param reason why; required with {@code force}
     */
    public record Request(Phase.Command command, boolean force, String reason, String actor, String host) {}

    /**
     * What happened.
     *
     * @param phase the phase now
     * @param moved whether this run moved it (or completed an unfinished move)
     */
    public record Result(int exitCode, Phase phase, boolean moved) {}

    private PhaseChange() {}

    /** The message for {@code --force} without {@code --reason}, or {@code null} when the request is complete. */
    public static String incomplete(Request r) {
        if (r.force() && (r.reason() == null || r.reason().isBlank())) {
            return "--force needs --reason TEXT: say why the " + r.command() + " gate is overridden (it is"
                    + " recorded in the phase journal and the audit trail); nothing was changed";
        }
        return null;
    }

    /**
     * Runs {@code r}, printing the gate's answer and what changed to {@code out} and refusals to {@code err}.
     *
     * @param gateTable renders a gate decision for people
     * @param freshDrift runs a drift comparison now for the gate (only when the phase would move), or {@code null}
     *     to use the stored drift result
     */
    public static Result run(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, Request r, PrintWriter out,
            PrintWriter err, Function<GateDecision, String> gateTable,
            java.util.function.Supplier<io.graybridge.reconcile.gate.GateInput.Drift> freshDrift) {
        String missing = incomplete(r);
        if (missing != null) {
            err.println("error: " + missing);
            return new Result(INVALID, null, false);
        }
        if (!LaneStatus.exists(v1, v1.dialect().qualified(cfg.metadataSchema(), MetadataSchema.HISTORY_TABLE))) {
            err.println("error: bridge '" + cfg.name() + "' has no metadata on the " + v1.config().describe()
                    + " (schema '" + cfg.metadataSchema() + "'): either it never ran (start it with `graybridge run -c"
                    + " FILE` first; a phase moves only for a bridge that runs) or it was finalized and its objects"
                    + " removed (then nothing is left to do)");
            return new Result(INVALID, null, false);
        }
        MetadataSchema.migrate(v1, cfg.metadataSchema()); // a bridge last run by an older version lacks the journal
        PhaseJournal journal = Lifecycle.journal(cfg, v1);
        PhaseJournal.State state = Lifecycle.ensureState(cfg, v1, v2);
        Phase target = Phase.target(r.command());

        var pending = journal.pending();
        if (pending.isPresent()) {
            PhaseJournal.Transition t = pending.get();
            if (t.to() != target) {
                err.printf(Locale.ROOT, "error: cannot %s: an unfinished %s (%s -> %s) was started at %s by %s on %s and"
                                + " did not complete; run `graybridge %s -c FILE` to complete it first%n", r.command(),
                        t.command(), t.from(), t.to(), t.startedAt(), t.actor(), t.host(), t.command());
                return new Result(INVALID, state.phase(), false);
            }
            out.printf(Locale.ROOT, "completing the unfinished %s (%s -> %s) started at %s by %s on %s (gate %s%s)%n",
                    t.command(), t.from(), t.to(), t.startedAt(), t.actor(), t.host(),
                    t.gateVerdict() == null ? "none" : t.gateVerdict().toUpperCase(Locale.ROOT),
                    t.forced() ? ", forced: " + t.reason() : "");
            return finish(journal, t, out, err);
        }

        Phase.Move move = state.phase().move(r.command());
        if (move instanceof Phase.Move.AlreadyThere there) {
            out.printf(Locale.ROOT, "bridge '%s' is already %s (since %s); the phase does not move%n", cfg.name(), there.phase(),
                    state.since());
            return new Result(MOVED, there.phase(), false);
        }
        if (move instanceof Phase.Move.Illegal illegal) {
            err.println("error: " + illegal.message());
            return new Result(INVALID, state.phase(), false);
        }
        Phase.Move.Go go = (Phase.Move.Go) move;
        String action = go.from().gateAction(r.command());
        GateRun.Result gate = GateRun.decide(cfg, v1, v2, action, freshDrift == null ? null : freshDrift.get());
        out.print(gateTable.apply(gate.decision()));
        GateDecision.Verdict verdict = gate.decision().verdict();
        if (verdict != GateDecision.Verdict.PASS) {
            if (!r.force()) {
                err.printf(Locale.ROOT, "error: the phase stays %s: the %s gate did not pass (%s); fix the reasons"
                                + " above and run `graybridge %s` again, or override with --force --reason TEXT%n",
                        go.from(), action, verdict.id(), r.command());
                return new Result(verdict.exitCode(), go.from(), false);
            }
            out.printf(Locale.ROOT, "the %s gate did not pass (%s): overridden with --force by %s on %s: %s%n", action,
                    verdict.id(), r.actor(), r.host(), r.reason());
        }
        PhaseJournal.Transition t = journal.begin(r.command().id(), go.from(), go.to(),
                verdict != GateDecision.Verdict.PASS, blankToNull(r.reason()), action, verdict.id(), gate.decisionId(),
                r.actor(), r.host());
        out.flush();
        CrashPoints.reached("lifecycle-after-journal", 1);
        return finish(journal, t, out, err);
    }

    private static Result finish(PhaseJournal journal, PhaseJournal.Transition t, PrintWriter out, PrintWriter err) {
        if (journal.complete(t) == PhaseJournal.Completion.ABANDONED) {
            Phase now = journal.state().map(PhaseJournal.State::phase).orElse(null);
            err.printf(Locale.ROOT, "error: the unfinished %s (%s -> %s) no longer applies: the phase is %s now;"
                    + " it is marked abandoned and nothing moved%n", t.command(), t.from(), t.to(), now);
            return new Result(INVALID, now, false);
        }
        out.printf(Locale.ROOT, "phase: %s -> %s%s (transition %d%s)%n", t.from(), t.to(),
                t.forced() ? " FORCED" : "", t.id(), t.gateDecisionId() == null ? "" : ", gate decision " + t.gateDecisionId());
        return new Result(MOVED, t.to(), true);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
