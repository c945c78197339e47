package io.graybridge.bridge.apply;

import static io.graybridge.bridge.apply.DecisionRows.COLUMNS;
import static io.graybridge.bridge.apply.DecisionRows.delete;
import static io.graybridge.bridge.apply.DecisionRows.insert;
import static io.graybridge.bridge.apply.DecisionRows.key;
import static io.graybridge.bridge.apply.DecisionRows.row;
import static io.graybridge.bridge.apply.DecisionRows.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.SourcePositions;
import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The delete-convergence decision of a fixed policy ({@link RowDecision#decideKnowing}): concurrent when the target's
 * application wrote the key after the change's seen position; then the winner applies in full and the loser not at
 * all; deletes are writes (no add-wins). The model ({@link DeleteConvergenceModelTest}) checks convergence; this
 * checks each rule of the function the writer calls.
 */
class RowDecisionKnowingTest {
    private static final long SEEN = 100;
    private static final long BEFORE_SEEN = 90;
    private static final long AFTER_SEEN = 110;

    @Test
    void shouldApplyAChangeAsItIsWhenTheTargetWroteNothingSinceItsSeenPosition() {
        Row base = row("a0", "b0");
        RowDecision d = decide(update(base, row("a1", "b0")), base, BEFORE_SEEN, Side.V1);
        assertThat(d.conflict()).isNull();
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(d.setColumns()).containsExactly("a");

        RowDecision never = decide(delete(base), base, SourcePositions.NONE, Side.V1);
        assertThat(never.conflict()).isNull();
        assertThat(never.action()).isEqualTo(RowDecision.Action.DELETE);
    }

    @Test
    void shouldKeepTheTargetsVersionWhenAConcurrentChangeLoses() {
        Row base = row("a0", "b0");
        // v1 -> v2 lane, v2 wins: v2's write after the change's seen position
        RowDecision d = decide(update(base, row("a1", "b0")), row("a0", "b2"), AFTER_SEEN, Side.V2);
        assertThat(d.action()).isEqualTo(RowDecision.Action.NONE);
        assertThat(d.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_UPDATE);
        assertThat(d.winner()).isEqualTo(Side.V2);

        RowDecision del = decide(delete(base), row("a0", "b2"), AFTER_SEEN, Side.V2);
        assertThat(del.action()).as("a losing delete deletes nothing").isEqualTo(RowDecision.Action.NONE);
        assertThat(del.conflict().kind()).isEqualTo(Conflict.Kind.DELETE_UPDATE);

        RowDecision reinsert = decide(update(base, row("a1", "b0")), null, AFTER_SEEN, Side.V2);
        assertThat(reinsert.action()).as("the target's concurrent delete stands").isEqualTo(RowDecision.Action.NONE);
        assertThat(reinsert.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_DELETE);
    }

    @Test
    void shouldApplyAWinningConcurrentChangeInFullDeletesIncluded() {
        Row base = row("a0", "b0");
        RowDecision d = decide(update(base, row("a1", "b0")), row("a0", "b2"), AFTER_SEEN, Side.V1);
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(d.setColumns()).as("every compared column takes the winner's value").containsExactly("a", "b");
        assertThat(d.resultingRow(row("a0", "b2"))).isEqualTo(row("a1", "b0"));
        assertThat(d.winner()).isEqualTo(Side.V1);

        RowDecision del = decide(delete(base), row("a0", "b2"), AFTER_SEEN, Side.V1);
        assertThat(del.action()).as("no add-wins: the winning delete removes the updated row")
                .isEqualTo(RowDecision.Action.DELETE);
        assertThat(del.conflict().kind()).isEqualTo(Conflict.Kind.DELETE_UPDATE);

        RowDecision reinsert = decide(update(base, row("a1", "b0")), null, AFTER_SEEN, Side.V1);
        assertThat(reinsert.action()).as("a winning update re-creates the row the target deleted")
                .isEqualTo(RowDecision.Action.INSERT);
        assertThat(reinsert.row()).isEqualTo(row("a1", "b0"));
        assertThat(reinsert.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_DELETE);

        RowDecision insert = decide(insert(row("a1", "b1")), row("a2", "b2"), AFTER_SEEN, Side.V1);
        assertThat(insert.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(insert.conflict().kind()).isEqualTo(Conflict.Kind.INSERT_INSERT);
    }

    @Test
    void shouldTreatAnUpdateThatChangedNothingVisibleAsAWrite() {
        Row base = row("a0", "b0");
        RowDecision d = decide(update(base, base), row("a0", "b2"), AFTER_SEEN, Side.V1);
        assertThat(d.action()).as("it is the winning version on its own side, so it is written here too")
                .isEqualTo(RowDecision.Action.UPDATE);
        assertThat(d.setColumns()).containsExactly("b");
    }

    @Test
    void shouldWriteSnapshotRowsWhateverIsKnown() {
        TargetChange snapshot = new TargetChange("t", TargetChange.Op.SNAPSHOT, key(), null, row("a1", "b1"), COLUMNS,
                COLUMNS, Instant.EPOCH, "0/1");
        RowDecision d = RowDecision.decideKnowing(snapshot, row("a0", "b0"), null, SEEN, AFTER_SEEN, Side.V1, Side.V2,
                "dual");
        assertThat(d.conflict()).isNull();
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
    }

    /** Lane v1 -> v2: the incoming side is v1; {@code winner} is the policy's. */
    private static RowDecision decide(TargetChange change, Row current, long lastTargetWrite, Side winner) {
        return RowDecision.decideKnowing(change, current, null, SEEN, lastTargetWrite, Side.V1, winner, "dual");
    }
}
