package io.graybridge.reconcile.gate;

import io.graybridge.reconcile.gate.GateDecision.Outcome;
import io.graybridge.reconcile.gate.GateDecision.Reason;
import io.graybridge.reconcile.gate.GateDecision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The promote/rollback gate as a pure function: inputs and thresholds in, a verdict with every reason out.
 * Any failing check fails the gate; otherwise any check that could not be read leaves it undecided. No
 * data never passes: a missing or stale drift result fails, a lane that never applied anything has no lag
 * to show and fails.
 */
public final class Gate {

    /**
     * @param maxDriftAge oldest drift result accepted
     * @param maxLag most lag of an enabled lane
     * @param maxOpenConflicts most conflicts since the drift result began
     * @param maxDeadLetters most dead letters
     * @param maxErrors most errors: verification findings since the drift result began, plus enabled lanes not running
     */
    public record Thresholds(Duration maxDriftAge, Duration maxLag, long maxOpenConflicts, long maxDeadLetters,
            long maxErrors) {}

    private Gate() {}

    public static GateDecision evaluate(GateInput in, Thresholds t, Instant now) {
        List<Reason> reasons = new ArrayList<>();
        reasons.add(drift(in.drift(), t, now));
        reasons.addAll(lag(in.lanes(), t));
        reasons.add(atMost("conflicts", in.openConflicts(), t.maxOpenConflicts(),
                "open conflict(s) (recorded since the drift result began)", ""));
        Long dead = in.deadLetters() == null ? null : in.deadLetters().value();
        reasons.add(atMost("dead-letters", dead, t.maxDeadLetters(), "dead letter(s)",
                in.deadLetters() == null ? "" : in.deadLetters().note()));
        reasons.add(errors(in, t));
        Verdict verdict = reasons.stream().anyMatch(r -> r.outcome() == Outcome.FAIL) ? Verdict.FAIL
                : reasons.stream().anyMatch(r -> r.outcome() == Outcome.UNKNOWN) ? Verdict.UNDECIDED : Verdict.PASS;
        return new GateDecision(in.action(), verdict, reasons);
    }

    private static Reason drift(GateInput.Drift d, Thresholds t, Instant now) {
        if (d == null) {
            return new Reason("drift", Outcome.FAIL,
                    "no drift result: run `graybridge drift`, or `gate --reconcile` to run one now");
        }
        Duration age = Duration.between(d.finishedAt(), now);
        if (age.compareTo(t.maxDriftAge()) > 0) {
            return new Reason("drift", Outcome.FAIL, String.format(Locale.ROOT,
                    "the drift result is stale: finished %s ago, the limit is %s (%s); run `graybridge drift` or"
                            + " `gate --reconcile`", words(age), words(t.maxDriftAge()), d.summary()));
        }
        String when = "result from " + words(age) + " ago: " + d.summary();
        return switch (d.verdict()) {
            case "clean" -> new Reason("drift", Outcome.PASS, when);
            case "drift" -> new Reason("drift", Outcome.FAIL, when + "; `graybridge repair` rewrites drifting rows");
            default -> new Reason("drift", Outcome.UNKNOWN, when);
        };
    }

    private static List<Reason> lag(List<GateInput.Lane> lanes, Thresholds t) {
        List<Reason> out = new ArrayList<>();
        for (GateInput.Lane lane : lanes) {
            if (!lane.enabled()) {
                continue;
            }
            if (lane.lag() == null) {
                out.add(new Reason("lag", Outcome.FAIL, "lane " + lane.name()
                        + " has no recorded progress (never ran, or its metadata is missing)"));
            } else if (!lane.caughtUp()) {
                out.add(new Reason("lag", Outcome.FAIL, String.format(Locale.ROOT,
                        "lane %s is behind: it did not apply what its source had committed when the gate began within"
                                + " the limit of %s%s", lane.name(), words(t.maxLag()),
                        lane.note().isEmpty() ? "" : " (" + lane.note() + ")")));
            } else {
                boolean ok = lane.lag().compareTo(t.maxLag()) <= 0;
                out.add(new Reason("lag", ok ? Outcome.PASS : Outcome.FAIL, String.format(Locale.ROOT,
                        "lane %s lag %s (limit %s)%s", lane.name(), words(lane.lag()), words(t.maxLag()),
                        lane.running() ? "" : ", not running")));
            }
        }
        if (out.isEmpty()) {
            out.add(new Reason("lag", Outcome.FAIL, "no lane is enabled: nothing keeps the sides in sync"));
        }
        return out;
    }

    private static Reason errors(GateInput in, Thresholds t) {
        if (in.verificationFindings() == null) {
            return new Reason("errors", Outcome.UNKNOWN, "continuous-verification findings could not be read");
        }
        List<String> stopped = in.lanes().stream().filter(l -> l.enabled() && !l.running()).map(GateInput.Lane::name)
                .toList();
        long errors = in.verificationFindings() + stopped.size();
        String detail = String.format(Locale.ROOT, "%d error(s) (limit %d): %d verification finding(s) since the drift"
                + " result began%s", errors, t.maxErrors(), in.verificationFindings(),
                stopped.isEmpty() ? "" : ", enabled lane(s) not running: " + String.join(", ", stopped));
        return new Reason("errors", errors <= t.maxErrors() ? Outcome.PASS : Outcome.FAIL, detail);
    }

    private static Reason atMost(String check, Long value, long max, String what, String note) {
        String suffix = note.isEmpty() ? "" : " (" + note + ")";
        if (value == null) {
            return new Reason(check, Outcome.UNKNOWN, what + " could not be read" + suffix);
        }
        return new Reason(check, value <= max ? Outcome.PASS : Outcome.FAIL,
                String.format(Locale.ROOT, "%,d %s (limit %,d)%s", value, what, max, suffix));
    }

    /** {@code 4 s}, {@code 12 min 5 s}, {@code 2 h 3 min}. */
    static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return d.toMillis() < 10_000 && d.toMillis() % 1000 != 0
                    ? String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0) : s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }
}
