package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which keys a batch holds and what becomes of each hold ({@link MissingKeyHold}); the database part is in MissingKeyHoldIT. */
class MissingKeyHoldTest {
    private static final List<String> COLUMNS = List.of("name");
    private static final TableInfo T = new TableInfo("s", "t", List.of(new ColumnInfo("id", "bigint", false, false),
            new ColumnInfo("name", "text", false, false)), List.of("id"), true);

    private static Row key(long id) {
        return Row.of(Map.of("id", id));
    }

    private static Row row(long id, String name) {
        return Row.of(new java.util.LinkedHashMap<>(Map.of("id", id, "name", name)));
    }

    private static TargetChange insert(long id, String name) {
        return new TargetChange("t", TargetChange.Op.INSERT, key(id), null, row(id, name), COLUMNS, COLUMNS,
                Instant.EPOCH, "1");
    }

    private static TargetChange delete(long id, String name) {
        return new TargetChange("t", TargetChange.Op.DELETE, key(id), row(id, name), null, COLUMNS, COLUMNS,
                Instant.EPOCH, "1");
    }

    private static TargetChange update(long id, String before, String after) {
        return new TargetChange("t", TargetChange.Op.UPDATE, key(id), row(id, before), row(id, after), COLUMNS,
                COLUMNS, Instant.EPOCH, "1");
    }

    @Test
    void shouldHoldEachKeyTheLockedReadFoundMissingOnceWithItsFirstChangesImage() {
        List<TargetChange> changes = List.of(delete(1, "a"), insert(1, "b"), insert(2, "c"), update(3, "d", "e"),
                insert(4, "f"));
        String[] byKnowledge = {"1", "1", "2", "3", null};
        Map<Row, Row> present = Map.of(key(3), row(3, "d"));

        List<MissingKeyHold.Candidate> held = MissingKeyHold.candidates(changes, byKnowledge, (t, k) -> present.get(k));

        // key 1: the delete's before image; key 2: the insert's after image; key 3 has a row (the read locks it);
        // key 4 is decided by the before-image rules, which need no hold
        assertThat(held).containsExactly(new MissingKeyHold.Candidate("t", key(1), row(1, "a")),
                new MissingKeyHold.Candidate("t", key(2), row(2, "c")));
        assertThat(held.get(0).image()).isSameAs(changes.get(0).before());
        assertThat(held.get(1).image()).isSameAs(changes.get(2).after());
    }

    @Test
    void shouldKeepAHeldRowWhereTheKeysFirstDecisionInsertsTheHeldImageAndReleaseTheOthers() {
        TargetChange reinsert = insert(1, "b");
        TargetChange deleteMissing = delete(1, "a");
        TargetChange fresh = insert(2, "c");
        TargetChange losing = insert(3, "x");
        MissingKeyHold.Held held = new MissingKeyHold.Held(null, MissingKeyHold.candidates(
                List.of(deleteMissing, reinsert, fresh, losing), new String[] {"1", "1", "2", "3"}, (t, k) -> null));

        RowDecision none = decide(deleteMissing, Side.V1);
        RowDecision insertB = decide(reinsert, Side.V1);
        RowDecision insertC = decide(fresh, Side.V1);
        RowDecision lost = RowDecision.decideKnowing(losing, null, null, 0, 5, Side.V1, Side.V2, "dual");

        // key 1: held with the delete's image, decided NONE, then re-inserted with another image: released, and the
        // insert executes as usual
        assertThat(held.insertedByHold(deleteMissing, none)).isFalse();
        assertThat(held.insertedByHold(reinsert, insertB)).isFalse();
        // key 2: the hold was the insert: no statement
        assertThat(insertC.action()).isEqualTo(RowDecision.Action.INSERT);
        assertThat(held.insertedByHold(fresh, insertC)).isTrue();
        // key 3: a concurrent change that loses writes nothing: released
        assertThat(lost.action()).isEqualTo(RowDecision.Action.NONE);
        assertThat(held.insertedByHold(losing, lost)).isFalse();

        assertThat(held.toRelease()).extracting(MissingKeyHold.Candidate::key).containsExactly(key(1), key(3));
    }

    @Test
    void shouldHoldNothingOnMariaDbAndMySqlWhoseLockedReadLocksTheGap() throws Exception {
        for (Dialect d : List.of(Dialect.MARIADB, Dialect.MYSQL)) {
            MissingKeyHold hold = new MissingKeyHold(d, "v1-to-v2", Map.of("t", T));
            // no connection needed: nothing is written
            MissingKeyHold.Held held = hold.hold(null, List.of(insert(1, "a")), new String[] {"1"}, (t, k) -> null);
            assertThat(held.toRelease()).isEmpty();
            assertThat(held.insertedByHold(insert(1, "a"), decide(insert(1, "a"), Side.V1))).isFalse();
        }
    }

    private static RowDecision decide(TargetChange change, Side incoming) {
        return RowDecision.decideKnowing(change, null, null, 0, -1, incoming, incoming, "dual");
    }
}
