package io.graybridge.reconcile.gate;

import java.util.List;

/**
 * The gate's answer with every reason.
 *
 * @param action {@code promote} or {@code rollback}
 * @param verdict pass, fail, or undecided (an input could not be read)
 * @param reasons one per check, in a fixed order
 */
public record GateDecision(String action, Verdict verdict, List<Reason> reasons) {

    public GateDecision {
        reasons = List.copyOf(reasons);
    }

    public enum Verdict {
        PASS(0),
        FAIL(1),
        UNDECIDED(2);

        private final int exitCode;

        Verdict(int exitCode) {
            this.exitCode = exitCode;
        }

        /** 0 pass, 1 fail, 2 could not decide. */
        public int exitCode() {
            return exitCode;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one check found. */
    public enum Outcome {
        PASS,
        FAIL,
        UNKNOWN
    }

    /**
     * @param check {@code drift}, {@code lag}, {@code conflicts}, {@code dead-letters} or {@code errors}
     * @param outcome its outcome
     * @param detail the measured value against the threshold, in words
     */
    public record Reason(String check, Outcome outcome, String detail) {}
}
