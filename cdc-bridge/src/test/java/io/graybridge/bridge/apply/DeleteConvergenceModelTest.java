package io.graybridge.bridge.apply;

import static io.graybridge.bridge.apply.ModelRows.key;
import static io.graybridge.bridge.apply.ModelRows.name;
import static io.graybridge.bridge.apply.ModelRows.row;
import static io.graybridge.bridge.apply.ModelRows.sideOf;
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
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model of both lanes on two keys with concurrent inserts, updates, deletes and re-inserts of a deleted key,
 * used to choose the conflict design before building it (ARCHITECTURE.md, "Conflicts", "Deletes: the design").
 *
 * <p>Each side has a log in commit order (its WAL or binlog) holding its application's writes and the
 * bridge's own transactions (echoes). A lane captures its source's log in order: an application write
 * becomes a change to deliver; an echo is dropped, but its marker tells the lane how far the other side's
 * changes had been delivered into this side at that point. So each captured write carries {@code seen}:
 * the position, in the target's log, of the last target write its side had received before it was made.
 *
 * <p>The design under test ("stamped"): the bridge keeps, per side and key, the log position of that side's
 * last application write on the key (and the stamp of the key's current version, for latest-wins). A change
 * conflicts exactly when the target's application wrote the key after the change's {@code seen} position
 * (a concurrent write, whether an insert, an update or a delete); then the policy names the winner and the
 * winning change is applied in full (its after image, or the delete), the losing one not at all. This is a
 * last-writer-wins register over a total order that extends causality (for v1-wins: concurrent v1 writes
 * first; for latest-wins: the stamp, a commit time raised past the version it overwrote), so both sides end
 * with the greatest write, deletes included (a delete is a write whose value is "no row"). For that, the
 * target's knowledge must be complete up to the locked read: the barrier (the other lane has captured the
 * target up to the locked read before the decision). Under a fixed policy only the lane into the winning
 * side needs it (the other lane's incoming side wins every conflict it can meet).
 *
 * <p>What the model shows, in 20,000 random histories per case (up to six writes per side over two keys, a
 * delete in one of four writes on an existing row, an insert on a missing one; lanes apply batches of one to
 * three changes, so one echo covers changes of both keys):
 * the stamped design with the barrier never diverges and records a conflict on both sides exactly when there
 * were concurrent writes; so does its fixed-policy form as it would be built (barrier on one lane, knowledge
 * stored with applied batches, lanes killed and restarted from their stored offsets at random). Today's value
 * rules (add-wins), the stamped design without the barrier, a restarted lane that forgets its seen position,
 * and latest-wins with raw millisecond commit times all diverge. It models whole-row writes, not a phase
 * change.
 */
class DeleteConvergenceModelTest {
    private static final List<String> COLUMNS = List.of("a", "b", "c");
    private static final int RUNS = 20_000;
    /** Keys per history: one lane's seen position is one number for all keys, so the model runs with two. */
    private static final int KEYS = 2;

    /** The decision rules a run uses. */
    private enum Rules {
        /** Today's {@link RowDecision}: before-image comparison, add-wins for deletes. */
        VALUES,
        /** The stamped design, deciding after the barrier. */
        STAMPED,
        /**
         * The stamped design as it would be built for a fixed policy: the lane into the losing side applies
         * every change whatever it finds (its incoming side wins every conflict it can meet), so its decision
         * needs no complete knowledge and it never waits; it records the conflicts it can see. The lane into
         * the winning side waits until the other lane has <em>applied</em> everything the target's log holds;
         * a lane stores what it learnt of its source's writes with its applied changes (not at capture), and
         * its seen position with its offset. Lanes apply batches of one to three changes in one transaction
         * (one echo each), and either lane may crash and restart from what it stored. The decision is the writer's
         * own, {@link RowDecision#decideKnowing}.
         */
        STAMPED_BARRIER_INTO_WINNER,
        /** As {@link #STAMPED_BARRIER_INTO_WINNER}, but a restarted lane forgets its seen position. */
        STAMPED_FORGETS_SEEN,
        /**
         * As {@link #STAMPED_BARRIER_INTO_WINNER}, with the knowledge of each side pruned at random points: every key's
         * last application write at or before the seen position the reverse lane has <em>stored</em> (with its offset)
         * is forgotten, as {@code key_write} rows are deleted (ARCHITECTURE.md, "Deletes", pruning).
         */
        STAMPED_PRUNED,
        /** As {@link #STAMPED_PRUNED}, but pruning one log position further than the stored seen position. */
        STAMPED_PRUNED_ONE_TOO_FAR,
        /** As {@link #STAMPED_PRUNED}, but up to the seen position the reverse lane has captured (not stored). */
        STAMPED_PRUNED_BY_CAPTURED_SEEN,
        /** The stamped design, deciding on whatever the other lane happened to have captured. */
        STAMPED_NO_BARRIER,
        /** The stamped design with the barrier, but raw commit times as stamps (never raised past the overwritten version). */
        STAMPED_RAW_TIMES;

        /** Whether the lanes work as they would be built for a fixed policy (see {@link #STAMPED_BARRIER_INTO_WINNER}). */
        boolean asBuilt() {
            return this == STAMPED_BARRIER_INTO_WINNER || this == STAMPED_FORGETS_SEEN || prunes();
        }

        /** Whether knowledge is pruned at random points (see {@link #STAMPED_PRUNED}). */
        boolean prunes() {
            return this == STAMPED_PRUNED || this == STAMPED_PRUNED_ONE_TOO_FAR || this == STAMPED_PRUNED_BY_CAPTURED_SEEN;
        }

        /** Whether these are the designed rules (not a variant kept to show what breaks without a part). */
        boolean designed() {
            return this == STAMPED || this == STAMPED_BARRIER_INTO_WINNER || this == STAMPED_PRUNED;
        }
    }

    private static final List<ConflictResolver> POLICIES = List.of(new BuiltInResolvers.V1Wins(),
            new BuiltInResolvers.V2Wins(), new BuiltInResolvers.PrimaryWins(), new BuiltInResolvers.LatestWins());

    @Test
    void shouldConvergeWithDeletesAndReinsertsUnderEveryPolicyWithStampsAndTheBarrier() {
        for (ConflictResolver policy : POLICIES) {
            for (String phase : phasesFor(policy)) {
                Outcome o = simulate(Rules.STAMPED, policy, phase, new SplittableRandom(2026));
                assertThat(o.diverged).as("%s (%s): diverging histories, first: %s", policy.name(), phase, o.example)
                        .isZero();
                assertThat(o.conflictsMissed).as("%s (%s): histories with concurrent writes and a side that "
                        + "recorded no conflict (or the reverse), first: %s", policy.name(), phase, o.example).isZero();
                assertThat(o.deletesRaced).as("histories where a delete met a concurrent write").isGreaterThan(RUNS / 20);
                assertThat(o.reinserts).as("histories that re-inserted a deleted key").isGreaterThan(RUNS / 20);
            }
        }
    }

    @Test
    void shouldConvergeUnderAFixedPolicyWithTheBarrierOnlyOnTheLaneIntoTheWinningSideAcrossRestarts() {
        for (ConflictResolver policy : POLICIES.subList(0, 3)) { // the fixed ones
            for (String phase : phasesFor(policy)) {
                Outcome o = simulate(Rules.STAMPED_BARRIER_INTO_WINNER, policy, phase, new SplittableRandom(7));
                assertThat(o.diverged).as("%s (%s): diverging histories, first: %s", policy.name(), phase, o.example)
                        .isZero();
                assertThat(o.conflictsMissed).as("%s (%s): concurrent writes the winning side recorded no conflict "
                        + "for (or the reverse), first: %s", policy.name(), phase, o.example).isZero();
            }
        }
    }

    @Test
    void shouldStillConvergeWhenKeyWritesAtOrBeforeTheReverseLanesStoredSeenArePruned() {
        for (ConflictResolver policy : POLICIES.subList(0, 3)) {
            for (String phase : phasesFor(policy)) {
                Outcome o = simulate(Rules.STAMPED_PRUNED, policy, phase, new SplittableRandom(11));
                assertThat(o.diverged).as("%s (%s): diverging histories, first: %s", policy.name(), phase, o.example)
                        .isZero();
                assertThat(o.conflictsMissed).as("%s (%s): concurrent writes the winning side recorded no conflict "
                        + "for (or the reverse), first: %s", policy.name(), phase, o.example).isZero();
                assertThat(o.pruned).as("%s (%s): key writes pruned", policy.name(), phase).isGreaterThan(RUNS / 2);
            }
        }
    }

    @Test
    void shouldShowThatPruningOnePositionPastTheStoredSeenDiverges() {
        for (ConflictResolver policy : POLICIES.subList(0, 2)) {
            Outcome o = simulate(Rules.STAMPED_PRUNED_ONE_TOO_FAR, policy, "dual", new SplittableRandom(11));
            assertThat(o.diverged).as("%s: a write right after the stored seen, concurrent with a change still to be"
                    + " delivered, forgotten", policy.name()).isGreaterThan(0);
        }
    }

    @Test
    void shouldShowThatPruningByTheCapturedInsteadOfTheStoredSeenDiverges() {
        Outcome o = simulate(Rules.STAMPED_PRUNED_BY_CAPTURED_SEEN, new BuiltInResolvers.V1Wins(), "dual",
                new SplittableRandom(11));
        assertThat(o.diverged).as("a lane restarted from its stored offset delivers changes with the stored seen again")
                .isGreaterThan(0);
    }

    @Test
    void shouldShowThatTodaysValueRulesDivergeWithDeletes() {
        for (ConflictResolver policy : List.of(new BuiltInResolvers.V1Wins(), new BuiltInResolvers.V2Wins())) {
            Outcome o = simulate(Rules.VALUES, policy, "dual", new SplittableRandom(2026));
            assertThat(o.diverged).as("%s: add-wins with before-image comparison", policy.name()).isGreaterThan(RUNS / 100);
        }
    }

    @Test
    void shouldShowThatALaneMustStoreItsSeenPositionWithItsOffset() {
        Outcome o = simulate(Rules.STAMPED_FORGETS_SEEN, new BuiltInResolvers.V1Wins(), "dual", new SplittableRandom(7));
        assertThat(o.diverged).as("capture resumes after the echoes that told it how far the other side was delivered")
                .isGreaterThan(0);
    }

    @Test
    void shouldShowThatStampsWithoutTheBarrierDiverge() {
        Outcome o = simulate(Rules.STAMPED_NO_BARRIER, new BuiltInResolvers.V1Wins(), "dual", new SplittableRandom(2026));
        assertThat(o.diverged).as("a decision on incomplete knowledge of the target's own writes").isGreaterThan(0);
    }

    /** The side index a fixed (timing-free) policy makes win every conflict. */
    private static int winnerOf(ConflictResolver policy, String phase) {
        Row r = row(0, "a", "b", "c");
        Side w = policy.winner(new Conflict(
                Conflict.Kind.UPDATE_UPDATE, "t", key(0), Side.V1, r, r, null, r, null,
                COLUMNS, phase));
        return w == Side.V1 ? 0 : 1;
    }

    @Test
    void shouldShowThatRawCommitTimesDivergeUnderLatestWinsWhenWritesShareAMillisecond() {
        Outcome o = simulate(Rules.STAMPED_RAW_TIMES, new BuiltInResolvers.LatestWins(), "dual", new SplittableRandom(2026));
        assertThat(o.diverged).as("a v2 write in the millisecond of the v1 version it overwrote orders before it")
                .isGreaterThan(0);
    }

    private static List<String> phasesFor(ConflictResolver policy) {
        return policy instanceof BuiltInResolvers.PrimaryWins ? List.of("dual", "promoted") : List.of("dual");
    }

    // ---------------------------------------------------------------------------------------------------

    /** An application write: its side, its position in that side's log, and what its lane delivers. */
    private record Write(int side, int key, int pos, Instant time, TargetChange change, String what) {
        boolean isDelete() {
            return change.op() == TargetChange.Op.DELETE;
        }
    }

    /** One entry of a side's log: an application write, or an echo telling how far the other side was delivered. */
    private record Entry(Write write, int deliveredUpTo) {}

    /** A captured write with the position of the other side's last write its side had received. */
    private record Captured(Write write, int seen) {}

    /** What the bridge knows of one side's key (kept in that side's metadata in the real design). */
    private static final class Knowledge {
        int lastAppPos = -1; // log position of the side's last application write on the key
        Instant lastAppStamp;
        int lastBridgePos = -1; // log position of the bridge's last write of the key on this side
        Instant lastBridgeStamp;

        /** The stamp of the key's current version on this side: the later of the two writes in log order. */
        Instant currentStamp() {
            return lastAppPos > lastBridgePos ? lastAppStamp : lastBridgeStamp;
        }

        Side currentSide(int side) {
            return lastAppPos > lastBridgePos ? sideOf(side) : sideOf(1 - side);
        }
    }

    private static final class SideState {
        final KeyState[] keys = new KeyState[KEYS];
        final List<Entry> log = new ArrayList<>();

        SideState() {
            for (int k = 0; k < KEYS; k++) {
                keys[k] = new KeyState();
            }
        }
    }

    /** One key on one side: its row and what the bridge knows of it. */
    private static final class KeyState {
        Row row;
        Instant versionStamp; // the stamp of the row's current version (null for the base row)
        Side versionSide;
        final Knowledge knowledge = new Knowledge();
        int conflicts;
    }

    /** The lane that captures {@code source} and applies to the other side. */
    private static final class Lane {
        int cursor; // next entry of the source log to capture
        int seenOther = -1; // from the last echo captured
        final List<Captured> queue = new ArrayList<>();
        int storedCursor; // the offset stored with the last applied batch: where capture resumes after a crash
        int storedSeen = -1; // the seen position stored with it
    }

    private static final class Outcome {
        int diverged;
        int conflictsMissed;
        int deletesRaced;
        int reinserts;
        /** Key writes forgotten by pruning (summed over histories). */
        int pruned;
        String example;
    }

    private static Outcome simulate(Rules rules, ConflictResolver policy, String phase, SplittableRandom random) {
        Outcome outcome = new Outcome();
        for (int run = 0; run < RUNS; run++) {
            SideState[] sides = {new SideState(), new SideState()};
            List<Row> bases = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                Row base = random.nextBoolean() ? row(k, "a0", "b0", "c0") : null;
                sides[0].keys[k].row = base;
                sides[1].keys[k].row = base;
                bases.add(base);
            }
            Lane[] lanes = {new Lane(), new Lane()};
            int[] writesLeft = {1 + random.nextInt(2 * KEYS + 2), 1 + random.nextInt(2 * KEYS + 2)};
            List<Write> writes = new ArrayList<>();
            List<String> story = new ArrayList<>();
            long clock = 0;
            int seq = 0;
            boolean deleteRaced = false;
            boolean reinserted = false;
            boolean[][] deleted = new boolean[2][KEYS];
            Sim sim = new Sim(rules, policy, phase, sides, lanes, story);
            while (writesLeft[0] + writesLeft[1] > 0 || pending(sides, lanes)) {
                int step = random.nextInt(8);
                int side = step % 2;
                if (step < 2) {
                    if (writesLeft[side] == 0) {
                        continue;
                    }
                    writesLeft[side]--;
                    int key = random.nextInt(KEYS);
                    SideState s = sides[side];
                    KeyState ks = s.keys[key];
                    // commit times at millisecond precision: writes on both sides often share one millisecond
                    clock += random.nextInt(2);
                    Instant stamp = rules == Rules.STAMPED_RAW_TIMES ? Instant.ofEpochMilli(clock)
                            : stamp(side, Instant.ofEpochMilli(clock), ks);
                    Write w = appWrite(random, side, key, s.log.size(), stamp, ks.row, "s" + side + "x" + seq++);
                    ks.versionStamp = stamp;
                    ks.versionSide = sideOf(side);
                    reinserted |= w.change.op() == TargetChange.Op.INSERT && deleted[side][key];
                    deleted[side][key] |= w.isDelete();
                    ks.row = w.isDelete() ? null : w.change.after();
                    s.log.add(new Entry(w, -1));
                    writes.add(w);
                    story.add(name(side) + " " + w.what);
                } else if (step < 4) {
                    sim.capture(side);
                } else if (step < 6) {
                    if (lanes[side].queue.isEmpty()) {
                        sim.capture(side);
                    } else {
                        sim.deliverBatch(side, 1 + random.nextInt(3));
                    }
                } else if (rules.prunes() && random.nextBoolean()) {
                    outcome.pruned += sim.prune(side);
                } else if (rules.asBuilt() && random.nextInt(4) == 0) {
                    // SIGKILL: what was captured and not applied is gone; capture resumes at the stored offset
                    Lane lane = lanes[side];
                    lane.queue.clear();
                    lane.cursor = lane.storedCursor;
                    lane.seenOther = rules == Rules.STAMPED_FORGETS_SEEN ? -1 : lane.storedSeen;
                    story.add("restart lane from " + name(side));
                }
            }
            deleteRaced |= concurrentDelete(writes, sides);
            if (deleteRaced) {
                outcome.deletesRaced++;
            }
            if (reinserted) {
                outcome.reinserts++;
            }
            boolean ok = true;
            boolean conflictsOk = true;
            for (int k = 0; k < KEYS; k++) {
                boolean concurrent = anyConcurrent(writes, sides, k);
                KeyState v1 = sides[0].keys[k];
                KeyState v2 = sides[1].keys[k];
                ok &= Objects.equals(v1.row, v2.row);
                conflictsOk &= rules.asBuilt()
                        ? concurrent == (sides[winnerOf(policy, phase)].keys[k].conflicts > 0)
                        : concurrent == (v1.conflicts > 0) && concurrent == (v2.conflicts > 0);
            }
            if (!ok) {
                outcome.diverged++;
            }
            if (!conflictsOk && rules != Rules.VALUES) {
                outcome.conflictsMissed++;
            }
            if ((!ok || (!conflictsOk && rules != Rules.VALUES)) && outcome.example == null) {
                List<Row> end1 = new ArrayList<>();
                List<Row> end2 = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    end1.add(sides[0].keys[k].row);
                    end2.add(sides[1].keys[k].row);
                }
                outcome.example = "from " + bases + ": " + story + " -> v1 " + end1 + ", v2 " + end2;
            }
        }
        // the figures ARCHITECTURE.md quotes (surefire keeps them in the test's -output.txt)
        System.out.printf("MODEL %s %s %s: diverged %d, conflicts missed %d, delete races %d, re-inserts %d of %d;"
                + " key writes pruned %d%n", rules, policy.name(), phase, outcome.diverged, outcome.conflictsMissed,
                outcome.deletesRaced, outcome.reinserts, RUNS, outcome.pruned);
        return outcome;
    }

    private static boolean pending(SideState[] sides, Lane[] lanes) {
        for (int i = 0; i < 2; i++) {
            if (!lanes[i].queue.isEmpty() || lanes[i].cursor < sides[i].log.size()) {
                return true;
            }
        }
        return false;
    }

    /** Both sides and lanes of one history, and the lanes' steps. */
    private static final class Sim {
        final Rules rules;
        final ConflictResolver policy;
        final String phase;
        final SideState[] sides;
        final Lane[] lanes;
        final List<String> story;

        Sim(Rules rules, ConflictResolver policy, String phase, SideState[] sides, Lane[] lanes, List<String> story) {
            this.rules = rules;
            this.policy = policy;
            this.phase = phase;
            this.sides = sides;
            this.lanes = lanes;
            this.story = story;
        }

        /**
         * Captures one entry of side {@code source}'s log into its lane: an echo moves {@code seenOther}, a write
         * is queued (and, unless the lane learns at apply, known at once).
         */
        void capture(int source) {
            Lane lane = lanes[source];
            SideState side = sides[source];
            if (lane.cursor >= side.log.size()) {
                return;
            }
            Entry e = side.log.get(lane.cursor++);
            if (e.write == null) {
                lane.seenOther = e.deliveredUpTo;
                return;
            }
            lane.queue.add(new Captured(e.write, lane.seenOther));
            if (!rules.asBuilt()) {
                learn(side.keys[e.write.key].knowledge, e.write);
            }
        }

        /**
         * Prunes what the bridge knows of side {@code side}'s application writes (kept, in the real design, in the
         * other side's {@code key_write}, written by lane {@code side} -> other): a key's last write at or before the
         * bound is forgotten. The bound is the seen position the reverse lane (other -> {@code side}) stored with its
         * offset: every change it can still deliver, also after a restart, carries at least that seen, so no such
         * write can be concurrent with one of them ({@code key_write(S,k).position > w.seen} is false either way).
         *
         * @return how many keys' knowledge was forgotten
         */
        int prune(int side) {
            Lane reverse = lanes[1 - side];
            int bound = switch (rules) {
                case STAMPED_PRUNED -> reverse.storedSeen;
                case STAMPED_PRUNED_ONE_TOO_FAR -> reverse.storedSeen + 1;
                case STAMPED_PRUNED_BY_CAPTURED_SEEN -> reverse.seenOther;
                default -> throw new IllegalStateException(rules + " does not prune");
            };
            int n = 0;
            for (KeyState k : sides[side].keys) {
                if (k.knowledge.lastAppPos >= 0 && k.knowledge.lastAppPos <= bound) {
                    k.knowledge.lastAppPos = -1;
                    k.knowledge.lastAppStamp = null;
                    n++;
                }
            }
            if (n > 0) {
                story.add("prune " + name(side) + "'s writes up to " + bound);
            }
            return n;
        }

        /** Applies up to {@code max} captured changes of side {@code source}'s lane in one target transaction. */
        void deliverBatch(int source, int max) {
            Lane lane = lanes[source];
            int target = 1 - source;
            boolean barrier = rules == Rules.STAMPED || rules == Rules.STAMPED_RAW_TIMES
                    || rules.asBuilt() && winnerOf(policy, phase) == target;
            if (barrier) {
                // after the locked read: the other lane has captured (or, as built, applied) the target's log
                // up to now
                Lane other = lanes[target];
                while (other.cursor < sides[target].log.size() || rules.asBuilt()
                        && !other.queue.isEmpty()) {
                    if (rules.asBuilt() && !other.queue.isEmpty()) {
                        deliverBatch(target, other.queue.size());
                    } else {
                        capture(target);
                    }
                }
            }
            Captured last = null;
            for (int i = 0; i < max && !lane.queue.isEmpty(); i++) {
                Captured c = lane.queue.remove(0);
                story.add("deliver " + c.write.what + " to " + name(target) + ": " + deliver(rules, policy, phase, c,
                        sides[target], barrier && rules.designed()));
                if (rules.asBuilt()) {
                    learn(sides[source].keys[c.write.key].knowledge, c.write); // stored with the rows and the offset
                }
                last = c;
            }
            if (last == null) {
                return;
            }
            // the batch commits with its marker (the echo telling the other lane how far it got) and its offset
            sides[target].log.add(new Entry(null, last.write.pos));
            lane.storedCursor = last.write.pos + 1;
            lane.storedSeen = last.seen;
        }
    }

    private static void learn(Knowledge k, Write w) {
        if (w.pos > k.lastAppPos) {
            k.lastAppPos = w.pos;
            k.lastAppStamp = w.time;
        }
    }

    /**
     * Applies one captured change to {@code side} under {@code rules}; {@code knowledgeComplete} when the
     * designed rules passed the barrier (every application write on the target up to now is known).
     */
    private static String deliver(Rules rules, ConflictResolver policy, String phase, Captured c, SideState side,
            boolean knowledgeComplete) {
        TargetChange change = c.write.change;
        KeyState target = side.keys[c.write.key];
        Side incoming = sideOf(c.write.side);
        String what;
        if (rules == Rules.VALUES) {
            RowDecision d = RowDecision.decide(change, target.row, null, incoming, policy, phase);
            if (d.conflict() != null) {
                target.conflicts++;
            }
            target.row = d.resultingRow(target.row);
            what = d.action().name();
        } else if (rules.asBuilt()) {
            // the writer's own function (RowDecision.decideKnowing), as the lanes call it under a fixed policy
            Knowledge k = target.knowledge;
            Side winner = sideOf(winnerOf(policy, phase));
            Row expected = change.op() == TargetChange.Op.INSERT ? null : change.before();
            if (k.lastAppPos <= c.seen && knowledgeComplete && !Objects.equals(target.row, expected)) {
                assertThat(target.row).as("no conflict, so the target holds the before image of " + c.write.what)
                        .isEqualTo(expected);
            }
            RowDecision d = RowDecision.decideKnowing(change, target.row, null, c.seen, k.lastAppPos, incoming, winner,
                    phase);
            if (d.conflict() != null) {
                target.conflicts++;
            }
            target.row = d.resultingRow(target.row);
            what = d.conflict() == null ? d.action().name() : "conflict, " + d.action() + ", " + d.winner() + " wins";
        } else {
            Knowledge k = target.knowledge;
            boolean concurrent = k.lastAppPos > c.seen;
            boolean apply;
            if (!concurrent) {
                // nothing the target's application wrote is unknown to the change: it applies as it is, and the
                // target must hold exactly the change's before image (a causal successor of the same state)
                Row expected = change.op() == TargetChange.Op.INSERT ? null : change.before();
                if (knowledgeComplete && !Objects.equals(target.row, expected)) { // (checked cheaply: it runs often)
                    assertThat(target.row).as("no conflict, so the target holds the before image of " + c.write.what)
                            .isEqualTo(expected);
                }
                apply = true;
                what = "apply";
            } else {
                target.conflicts++;
                Side winner = policy.winner(new Conflict(kind(change, target.row),
                        "t", change.key(), incoming, change.before(), change.after(), change.sourceCommit(), target.row,
                        k.currentStamp(), COLUMNS, phase));
                apply = winner == incoming;
                what = "conflict, " + (apply ? "incoming wins" : "current kept");
            }
            if (apply) {
                target.row = change.op() == TargetChange.Op.DELETE ? null : change.after();
                target.versionStamp = change.sourceCommit();
                target.versionSide = incoming;
                k.lastBridgePos = side.log.size(); // where the batch's echo goes
                k.lastBridgeStamp = change.sourceCommit();
            }
        }
        return what;
    }

    /**
     * The stamp of an application write on {@code side} committed at {@code time} (milliseconds): its commit
     * time, raised where needed so that it orders after the version it overwrote in latest-wins' order (time,
     * then v1 on a tie). Without it a v2 write made in the same millisecond as the v1 version it overwrote
     * would order before it, and the sides diverge (a Lamport clock over commit times). In the real design
     * capture computes it in log order from the stamp of the key's current version on the side.
     */
    private static Instant stamp(int side, Instant time, KeyState s) {
        if (s.versionStamp == null) {
            return time;
        }
        Instant after = side == 0 && s.versionSide == Side.V2 ? s.versionStamp : s.versionStamp.plusMillis(1);
        return time.isAfter(after) ? time : after;
    }

    private static Conflict.Kind kind(TargetChange change, Row current) {
        if (change.op() == TargetChange.Op.DELETE) {
            return Conflict.Kind.DELETE_UPDATE;
        }
        if (current == null) {
            return Conflict.Kind.UPDATE_DELETE;
        }
        return change.op() == TargetChange.Op.INSERT ? Conflict.Kind.INSERT_INSERT
                : Conflict.Kind.UPDATE_UPDATE;
    }

    /**
     * Whether a v1 write and a v2 write were concurrent (neither side had received the other's write when it
     * made its own), read from the logs: v1's write at {@code p} and v2's at {@code q} are concurrent when no
     * echo before {@code p} on v1 delivered {@code q}, and none before {@code q} on v2 delivered {@code p}.
     */
    private static boolean anyConcurrent(List<Write> writes, SideState[] sides, int key) {
        for (Write w : writes) {
            for (Write x : writes) {
                if (w.side == 0 && x.side == 1 && w.key == key && x.key == key && !received(sides[0], w.pos, x.pos)
                        && !received(sides[1], x.pos, w.pos)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean concurrentDelete(List<Write> writes, SideState[] sides) {
        for (Write w : writes) {
            for (Write x : writes) {
                if (w.side == 0 && x.side == 1 && w.key == x.key && (w.isDelete() || x.isDelete())
                        && !received(sides[0], w.pos, x.pos) && !received(sides[1], x.pos, w.pos)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether an echo before position {@code before} of {@code side}'s log delivered the other side's write at {@code pos}. */
    private static boolean received(SideState side, int before, int pos) {
        for (int i = 0; i < before; i++) {
            Entry e = side.log.get(i);
            if (e.write == null && e.deliveredUpTo >= pos) {
                return true;
            }
        }
        return false;
    }

    private static Write appWrite(SplittableRandom random, int side, int key, int pos, Instant time, Row current,
            String tag) {
        if (current == null) {
            Row inserted = row(key, "a" + tag, "b" + tag, "c" + tag);
            return new Write(side, key, pos, time, new TargetChange("t", TargetChange.Op.INSERT, key(key), null, inserted,
                    COLUMNS, COLUMNS, time, "x"), "insert " + tag);
        }
        if (random.nextInt(4) == 0) {
            return new Write(side, key, pos, time, new TargetChange("t", TargetChange.Op.DELETE, key(key), current, null,
                    COLUMNS, COLUMNS, time, "x"), "delete " + tag);
        }
        Map<String, Object> after = new LinkedHashMap<>(current.asMap());
        List<String> changed = new ArrayList<>();
        for (String c : COLUMNS) {
            if (random.nextInt(3) == 0) {
                after.put(c, c + tag);
                changed.add(c);
            }
        }
        Row afterRow = Row.of(after);
        return new Write(side, key, pos, time, new TargetChange("t", TargetChange.Op.UPDATE, key(key), current, afterRow,
                COLUMNS, changed, time, "x"), "update " + changed + " " + tag);
    }
}
