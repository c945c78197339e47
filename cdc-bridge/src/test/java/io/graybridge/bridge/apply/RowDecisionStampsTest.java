package io.graybridge.bridge.apply;

import static io.graybridge.bridge.apply.DecisionRows.COLUMNS;
import static io.graybridge.bridge.apply.DecisionRows.delete;
import static io.graybridge.bridge.apply.DecisionRows.key;
import static io.graybridge.bridge.apply.DecisionRows.row;
import static io.graybridge.bridge.apply.DecisionRows.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The decision of two-way latest-wins ({@link RowDecision#decideByStamps}): concurrent exactly when the target's
 * application wrote the key after the change's seen position, whatever the stamps; then the later stamp wins (v1 on a
 * tie, and when the current version's stamp is unknown), the winner applied in full, the loser not at all; the same pair
 * judged from both lanes names the same winner. {@link LatestWinsReadAheadModelTest} checks convergence with this very
 * function.
 */
class RowDecisionStampsTest {
    private static final long SEEN = 100;
    private static final long BEFORE_SEEN = 90;
    private static final long AFTER_SEEN = 110;
    private static final Instant T = Instant.parse("2026-11-28T02:00:00.500Z");

    @Test
    void shouldApplyAChangeThatIsNotConcurrentWhateverTheStamps() {
        Row base = row("a0", "b0");
        RowDecision d = decide(Side.V2, update(base, row("a1", "b0")), base, BEFORE_SEEN, T, T.plusSeconds(60));
        assertThat(d.conflict()).as("an older stamp does not make a conflict").isNull();
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(d.setColumns()).containsExactly("a");
    }

    @Test
    void shouldLetTheLaterStampWinAConcurrentPairOnBothLanes() {
        Row base = row("a0", "b0");
        Row v1Row = row("a1", "b0");
        Row v2Row = row("a0", "b2");
        Instant v1Stamp = T.plusMillis(5);
        Instant v2Stamp = T;
        // lane v1 -> v2: v1's change meets v2's concurrent version
        RowDecision onV2 = decide(Side.V1, update(base, v1Row), v2Row, AFTER_SEEN, v1Stamp, v2Stamp);
        // lane v2 -> v1: v2's change meets v1's concurrent version
        RowDecision onV1 = decide(Side.V2, update(base, v2Row), v1Row, AFTER_SEEN, v2Stamp, v1Stamp);
        assertThat(onV2.winner()).isEqualTo(Side.V1);
        assertThat(onV1.winner()).as("the same winner on both lanes").isEqualTo(Side.V1);
        assertThat(onV2.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(onV2.resultingRow(v2Row)).as("the winner in full").isEqualTo(v1Row);
        assertThat(onV1.action()).as("the loser not at all").isEqualTo(RowDecision.Action.NONE);
        assertThat(onV2.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_UPDATE);
        assertThat(onV1.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_UPDATE);
        assertThat(onV1.conflict().currentCommit()).as("the current version's stamp is recorded").isEqualTo(v1Stamp);
    }

    @Test
    void shouldGiveATieAndAnUnknownVersionToV1() {
        Row base = row("a0", "b0");
        RowDecision tieOnV2 = decide(Side.V1, update(base, row("a1", "b0")), row("a0", "b2"), AFTER_SEEN, T,
                T.plusNanos(900_000));
        RowDecision tieOnV1 = decide(Side.V2, update(base, row("a0", "b2")), row("a1", "b0"), AFTER_SEEN, T, T);
        assertThat(tieOnV2.winner()).as("one millisecond: a tie").isEqualTo(Side.V1);
        assertThat(tieOnV1.winner()).isEqualTo(Side.V1);
        assertThat(tieOnV1.action()).isEqualTo(RowDecision.Action.NONE);

        RowDecision unknown = decide(Side.V2, update(base, row("a0", "b2")), row("a1", "b0"), AFTER_SEEN, T, null);
        assertThat(unknown.winner()).isEqualTo(Side.V1);
    }

    @Test
    void shouldDecideDeletesByStampsToo() {
        Row base = row("a0", "b0");
        // v2 deleted later than v1's update: the delete wins on both lanes, no add-wins
        RowDecision update = decide(Side.V1, update(base, row("a1", "b0")), null, AFTER_SEEN, T, T.plusMillis(1));
        assertThat(update.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_DELETE);
        assertThat(update.winner()).isEqualTo(Side.V2);
        assertThat(update.action()).as("v2's later delete stands").isEqualTo(RowDecision.Action.NONE);
        RowDecision delete = decide(Side.V2, delete(base), row("a1", "b0"), AFTER_SEEN, T.plusMillis(1), T);
        assertThat(delete.conflict().kind()).isEqualTo(Conflict.Kind.DELETE_UPDATE);
        assertThat(delete.action()).as("the later delete removes v1's row").isEqualTo(RowDecision.Action.DELETE);

        // v1's update later than v2's delete: re-created on v2, kept on v1
        RowDecision reinsert = decide(Side.V1, update(base, row("a1", "b0")), null, AFTER_SEEN, T.plusMillis(1), T);
        assertThat(reinsert.action()).isEqualTo(RowDecision.Action.INSERT);
        assertThat(reinsert.row()).isEqualTo(row("a1", "b0"));
        RowDecision losingDelete = decide(Side.V2, delete(base), row("a1", "b0"), AFTER_SEEN, T, T.plusMillis(1));
        assertThat(losingDelete.action()).isEqualTo(RowDecision.Action.NONE);
    }

    @Test
    void shouldWriteSnapshotRowsWhateverTheStamps() {
        TargetChange snapshot = new TargetChange("t", TargetChange.Op.SNAPSHOT, key(), null, row("a1", "b1"), COLUMNS,
                COLUMNS, Instant.EPOCH, "0/1");
        RowDecision d = RowDecision.decideByStamps(snapshot, row("a0", "b0"), SEEN, AFTER_SEEN, null, T, Side.V2,
                "dual");
        assertThat(d.conflict()).isNull();
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
    }

    private static RowDecision decide(Side incoming, TargetChange change, Row current, long lastTargetWrite,
            Instant stamp, Instant currentStamp) {
        return RowDecision.decideByStamps(change, current, SEEN, lastTargetWrite, stamp, currentStamp, incoming, "dual");
    }
}
