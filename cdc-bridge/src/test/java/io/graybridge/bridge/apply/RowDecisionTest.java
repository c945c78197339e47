package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.conflict.BuiltInResolvers;
import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The conflict model as a pure function, and its central promise: whichever policy and whatever pair of
 * concurrent changes from one base row, both sides end with the same row.
 */
class RowDecisionTest {
    private static final ConflictResolver V1_WINS = new BuiltInResolvers.V1Wins();
    private static final ConflictResolver V2_WINS = new BuiltInResolvers.V2Wins();
    private static final List<String> COLUMNS = List.of("a", "b", "c");

    private static Row row(Object id, Object a, Object b, Object c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("a", a);
        m.put("b", b);
        m.put("c", c);
        return Row.of(m);
    }

    private static Row key(Object id) {
        return Row.of(Map.of("id", id));
    }

    @Test
    void shouldApplyAnUpdateWithoutConflictWhenTheTargetStillHoldsTheBeforeImage() {
        Row base = row(1L, "a0", "b0", "c0");
        TargetChange u = update(base, row(1L, "a1", "b0", "c0"), Instant.EPOCH);
        RowDecision d = RowDecision.decide(u, base, null, Side.V1, V1_WINS, "dual");
        assertThat(d.conflict()).isNull();
        assertThat(d.action()).isEqualTo(RowDecision.Action.UPDATE);
        assertThat(d.setColumns()).containsExactly("a");
    }

    @Test
    void shouldMergeUpdatesOfDifferentColumnsWithoutAConflict() {
        Row base = row(1L, "a0", "b0", "c0");
        Row targetNow = row(1L, "a0", "b2", "c0"); // the target's application changed b
        RowDecision d = RowDecision.decide(update(base, row(1L, "a1", "b0", "c0"), Instant.EPOCH), targetNow, null,
                Side.V1, V2_WINS, "dual");
        assertThat(d.conflict()).isNull();
        assertThat(d.resultingRow(targetNow)).isEqualTo(row(1L, "a1", "b2", "c0"));
    }

    @Test
    void shouldRecordAnUpdateUpdateConflictAndKeepTheUndisputedColumnsOfTheLoser() {
        Row base = row(1L, "a0", "b0", "c0");
        Row targetNow = row(1L, "a2", "b0", "c0");
        TargetChange incoming = update(base, row(1L, "a1", "b1", "c0"), Instant.EPOCH);
        RowDecision d = RowDecision.decide(incoming, targetNow, null, Side.V1, V2_WINS, "dual");
        assertThat(d.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_UPDATE);
        assertThat(d.conflict().columns()).containsExactly("a");
        assertThat(d.winner()).isEqualTo(Side.V2);
        assertThat(d.resultingRow(targetNow)).as("a stays v2's, b comes from v1").isEqualTo(row(1L, "a2", "b1", "c0"));
    }

    @Test
    void shouldReinsertAnUpdatedRowTheTargetDeletedOnlyWhenTheUpdateWins() {
        Row base = row(1L, "a0", "b0", "c0");
        TargetChange incoming = update(base, row(1L, "a1", "b0", "c0"), Instant.EPOCH);
        RowDecision wins = RowDecision.decide(incoming, null, null, Side.V1, V1_WINS, "dual");
        assertThat(wins.conflict().kind()).isEqualTo(Conflict.Kind.UPDATE_DELETE);
        assertThat(wins.action()).isEqualTo(RowDecision.Action.INSERT);
        RowDecision loses = RowDecision.decide(incoming, null, null, Side.V1, V2_WINS, "dual");
        assertThat(loses.action()).isEqualTo(RowDecision.Action.NONE);
    }

    @Test
    void shouldFollowThePhaseUnderPrimaryWins() {
        Row base = row(1L, "a0", "b0", "c0");
        TargetChange incoming = update(base, row(1L, "a1", "b0", "c0"), Instant.EPOCH);
        ConflictResolver primary = new BuiltInResolvers.PrimaryWins();
        Row targetNow = row(1L, "a2", "b0", "c0");
        assertThat(RowDecision.decide(incoming, targetNow, null, Side.V2, primary, "dual").winner()).isEqualTo(Side.V1);
        assertThat(RowDecision.decide(incoming, targetNow, null, Side.V2, primary, "promoted").winner())
                .isEqualTo(Side.V2);
    }

    @Test
    void shouldLetTheLaterCommitWinUnderLatestWinsAndV1OnATie() {
        ConflictResolver latest = new BuiltInResolvers.LatestWins();
        Row base = row(1L, "a0", "b0", "c0");
        Row targetNow = row(1L, "a2", "b0", "c0");
        TargetChange incoming = update(base, row(1L, "a1", "b0", "c0"), Instant.ofEpochSecond(10));
        assertThat(RowDecision.decide(incoming, targetNow, Instant.ofEpochSecond(20), Side.V2, latest, "dual").winner())
                .isEqualTo(Side.V1);
        assertThat(RowDecision.decide(incoming, targetNow, Instant.ofEpochSecond(5), Side.V2, latest, "dual").winner())
                .isEqualTo(Side.V2);
        assertThat(RowDecision.decide(incoming, targetNow, Instant.ofEpochSecond(10), Side.V2, latest, "dual").winner())
                .isEqualTo(Side.V1);
    }

    /**
     * Both sides start from one base row; each side's application makes one change (insert, update of
     * random columns, delete, or nothing); each lane then delivers its side's change to the other side.
     * Whatever the policy and the order the lanes run in, both sides must end equal.
     */
    @Test
    void shouldConvergeForEveryPairOfConcurrentChangesUnderEveryTimingFreePolicy() {
        SplittableRandom random = new SplittableRandom(2026);
        for (ConflictResolver policy : List.of(V1_WINS, V2_WINS, new BuiltInResolvers.PrimaryWins())) {
            for (int i = 0; i < 5_000; i++) {
                Row base = random.nextBoolean() ? row(1L, "a0", "b0", "c0") : null;
                Change onV1 = randomChange(random, base, "1");
                Change onV2 = randomChange(random, base, "2");
                Row v1 = onV1.result;
                Row v2 = onV2.result;
                boolean forwardFirst = random.nextBoolean();
                for (int step = 0; step < 2; step++) {
                    if ((step == 0) == forwardFirst) {
                        v2 = deliver(onV1, v2, Side.V1, policy);
                    } else {
                        v1 = deliver(onV2, v1, Side.V2, policy);
                    }
                }
                assertThat(v1).as("%s: base %s, v1 did %s, v2 did %s", policy.name(), base, onV1, onV2).isEqualTo(v2);
            }
        }
    }

    private static Row deliver(Change change, Row target, Side from, ConflictResolver policy) {
        if (change.target == null) {
            return target;
        }
        RowDecision d = RowDecision.decide(change.target, target, null, from, policy, "dual");
        return d.resultingRow(target);
    }

    /** One application change on a side, as the lane will deliver it, and the side's row after it. */
    private record Change(TargetChange target, Row result, String what) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Change randomChange(SplittableRandom random, Row base, String tag) {
        int kind = random.nextInt(4);
        if (base == null) {
            if (kind < 2) {
                Row inserted = row(1L, "a" + tag, "b" + tag, random.nextBoolean() ? "c0" : "c" + tag);
                return new Change(new TargetChange("t", TargetChange.Op.INSERT, key(1L), null, inserted, COLUMNS,
                        Instant.EPOCH, "x"), inserted, "insert " + inserted);
            }
            return new Change(null, null, "nothing");
        }
        if (kind == 0) {
            return new Change(null, base, "nothing");
        }
        if (kind == 1) {
            return new Change(new TargetChange("t", TargetChange.Op.DELETE, key(1L), base, null, COLUMNS, Instant.EPOCH,
                    "x"), null, "delete");
        }
        Map<String, Object> after = new LinkedHashMap<>(base.asMap());
        List<String> changed = new ArrayList<>();
        for (String c : COLUMNS) {
            if (random.nextInt(3) == 0) {
                after.put(c, c + tag);
                changed.add(c);
            }
        }
        if (changed.isEmpty()) {
            after.put("a", "a" + tag);
            changed.add("a");
        }
        Row afterRow = Row.of(after);
        return new Change(update(base, afterRow, Instant.EPOCH), afterRow, "update " + changed);
    }

    private static TargetChange update(Row before, Row after, Instant commit) {
        List<String> changed = new ArrayList<>();
        for (String c : COLUMNS) {
            if (!java.util.Objects.equals(before.get(c), after.get(c))) {
                changed.add(c);
            }
        }
        return new TargetChange("t", TargetChange.Op.UPDATE, key(after.get("id")), before, after, changed, commit, "x");
    }
}
