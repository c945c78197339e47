package io.graybridge.reconcile.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.reconcile.gate.GateDecision.Outcome;
import io.graybridge.reconcile.gate.GateDecision.Reason;
import io.graybridge.reconcile.gate.GateDecision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    private static final Gate.Thresholds LIMITS = new Gate.Thresholds(Duration.ofMinutes(15), Duration.ofSeconds(10), 0, 0, 0);
    private static final GateInput.Drift CLEAN = new GateInput.Drift("clean", "CLEAN: 2 table(s)",
            NOW.minusSeconds(70), NOW.minusSeconds(60));
    private static final List<GateInput.Lane> CAUGHT_UP = List.of(
            new GateInput.Lane("v1-to-v2", true, true, Duration.ZERO),
            new GateInput.Lane("v2-to-v1", true, true, Duration.ofMillis(300)));
    private static final GateInput.Count NO_DEAD = new GateInput.Count(0L, "");

    private static GateDecision gate(GateInput.Drift drift, List<GateInput.Lane> lanes, Long conflicts,
            GateInput.Count dead, Long findings) {
        return Gate.evaluate(new GateInput("promote", drift, lanes, conflicts, dead, findings), LIMITS, NOW);
    }

    private static Reason reason(GateDecision d, String check) {
        return d.reasons().stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void shouldPassWhenCleanCaughtUpAndNothingOpen() {
        GateDecision d = gate(CLEAN, CAUGHT_UP, 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.PASS);
        assertThat(d.verdict().exitCode()).isZero();
        assertThat(d.reasons()).extracting(Reason::check)
                .containsExactly("drift", "lag", "lag", "conflicts", "dead-letters", "errors");
        assertThat(d.reasons()).allMatch(r -> r.outcome() == Outcome.PASS);
    }

    @Test
    void shouldFailOnDriftAndSaySo() {
        GateDecision d = gate(new GateInput.Drift("drift", "DRIFT: 1 of 2 table(s) differ", NOW.minusSeconds(5), NOW),
                CAUGHT_UP, 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "drift").detail()).contains("DRIFT: 1 of 2 table(s) differ", "graybridge repair");
    }

    @Test
    void shouldFailWithoutADriftResult() {
        GateDecision d = gate(null, CAUGHT_UP, 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "drift").detail()).contains("no drift result");
    }

    @Test
    void shouldFailOnAStaleDriftResultEvenIfItWasClean() {
        GateInput.Drift old = new GateInput.Drift("clean", "CLEAN", NOW.minusSeconds(3700), NOW.minusSeconds(3600));
        GateDecision d = gate(old, CAUGHT_UP, 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "drift").detail()).contains("stale", "1 h ago", "limit is 15 min");
    }

    @Test
    void shouldBeUndecidedWhenTheDriftRunCouldNotCheck() {
        GateDecision d = gate(new GateInput.Drift("could-not-check", "COULD NOT CHECK: lane behind", NOW, NOW),
                CAUGHT_UP, 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(d.verdict().exitCode()).isEqualTo(2);
        assertThat(reason(d, "drift").outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void shouldFailWhenALaneLagsOverTheThreshold() {
        GateDecision d = gate(CLEAN, List.of(new GateInput.Lane("v1-to-v2", true, true, Duration.ofSeconds(42)),
                new GateInput.Lane("v2-to-v1", false, false, null)), 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "lag").detail()).isEqualTo("lane v1-to-v2 lag 42 s (limit 10 s)");
        assertThat(d.reasons()).filteredOn(r -> r.check().equals("lag")).hasSize(1); // the disabled lane is not judged
    }

    @Test
    void shouldFailWhenALaneDidNotCatchUpWhateverItsLastLagSays() {
        GateDecision d = gate(CLEAN, List.of(new GateInput.Lane("v1-to-v2", true, false, Duration.ZERO, false,
                "lane v1-to-v2 is stopped and behind")), 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "lag").detail()).isEqualTo("lane v1-to-v2 is behind: it did not apply what its source had"
                + " committed when the gate began within the limit of 10 s (lane v1-to-v2 is stopped and behind)");
    }

    @Test
    void shouldFailWhenAnEnabledLaneNeverRan() {
        GateDecision d = gate(CLEAN, List.of(new GateInput.Lane("v1-to-v2", true, false, null)), 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "lag").detail()).contains("no recorded progress");
        assertThat(reason(d, "errors").detail()).contains("not running: v1-to-v2");
    }

    @Test
    void shouldFailOnOpenConflictsOverTheThreshold() {
        GateDecision d = gate(CLEAN, CAUGHT_UP, 3L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "conflicts").detail()).startsWith("3 open conflict(s)");
    }

    @Test
    void shouldFailOnDeadLettersAndPassWhenTheyAreNotTrackedWithTheReason() {
        GateDecision failing = gate(CLEAN, CAUGHT_UP, 0L, new GateInput.Count(2L, ""), 0L);
        assertThat(failing.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(failing, "dead-letters").detail()).startsWith("2 dead letter(s) (limit 0)");

        GateDecision untracked = gate(CLEAN, CAUGHT_UP, 0L, new GateInput.Count(0L, "dead letters not tracked"), 0L);
        assertThat(untracked.verdict()).isEqualTo(Verdict.PASS);
        assertThat(reason(untracked, "dead-letters").detail()).contains("dead letters not tracked");
    }

    @Test
    void shouldFailOnVerificationFindings() {
        GateDecision d = gate(CLEAN, CAUGHT_UP, 0L, NO_DEAD, 1L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "errors").detail()).contains("1 verification finding(s)");
    }

    @Test
    void shouldBeUndecidedWhenACountCannotBeReadAndFailWinsOverUndecided() {
        GateDecision unknown = gate(CLEAN, CAUGHT_UP, null, NO_DEAD, 0L);
        assertThat(unknown.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(reason(unknown, "conflicts").outcome()).isEqualTo(Outcome.UNKNOWN);

        GateDecision failing = gate(null, CAUGHT_UP, null, NO_DEAD, 0L);
        assertThat(failing.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void shouldFailWhenNoLaneIsEnabled() {
        GateDecision d = gate(CLEAN, List.of(), 0L, NO_DEAD, 0L);
        assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reason(d, "lag").detail()).contains("no lane is enabled");
    }
}
