package io.graybridge.bridge.apply;

import static io.graybridge.bridge.apply.ModelRows.key;
import static io.graybridge.bridge.apply.ModelRows.name;
import static io.graybridge.bridge.apply.ModelRows.row;
import static io.graybridge.bridge.apply.ModelRows.sideOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.conflict.BuiltInResolvers;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A model of {@code latest-wins} with concurrent deletes under the read-ahead design (ARCHITECTURE.md, "Deletes",
 * "latest-wins: the build plan"), used to check the design before building it. A sibling of {@link
 * DeleteConvergenceModelTest}, whose histories it shares in kind (two keys, inserts, updates, deletes, re-inserts of
 * deleted keys, one seen position per lane), and whose decision it shares: {@link RowDecision#decideByStamps}.
 *
 * <p>Unlike that model, the lanes here run as threads would: each step is one thing one thread does, chosen at
 * random among those that can go on, and a lane can wait. Per lane:
 * <ul>
 *   <li><b>capture</b> reads its source's log in order, ahead of apply, into a bounded queue (one to eight changes,
 *       drawn per history). For every application write it reads it records per-key knowledge in memory: the write's
 *       position and its stamp, and for every echo (a bridge transaction) the stamps of the versions the echo's mark
 *       says the bridge wrote. The stamp of an application write is its commit time (per-side clocks with skew, many
 *       writes in one millisecond), raised past the key's current version as capture knows it in log order.</li>
 *   <li><b>apply</b> takes one to three changes from the queue, takes its locked read on the target (the keys stay
 *       locked: the target's application cannot write them until the batch commits; a key the read found missing is
 *       held too, by MariaDB's and MySQL's gap locks or, on PostgreSQL, by {@link MissingKeyHold}), then waits at the barrier until
 *       the reverse lane has <em>captured</em> the target's log up to the locked read. Then it decides each change
 *       with the reverse lane's in-memory knowledge (concurrent = the target's application wrote the key after the
 *       change's seen; the winner by {@link BuiltInResolvers.LatestWins} between the change's stamp and the stamp of
 *       the key's current version on the target) and commits, in one transaction: the rows, a mark (how far it
 *       delivered, and the stamps of the versions it wrote), its offset, its seen position and the knowledge of its
 *       source as of that offset ({@code key_write}). Only then are the records acknowledged to the source (the
 *       PostgreSQL slot may discard WAL up to there).</li>
 *   <li><b>knowledge-only</b>: when the queue is full while the reverse lane waits for this lane's capture, capture
 *       goes on recording knowledge and drops the changes, as far as the waiting barrier needs; once its apply has
 *       drained the queue the lane restarts from its applied offset. (The barrier's check of the captured position
 *       and its read of the knowledge are one step, so a restart cannot fall between them.)</li>
 *   <li><b>crashes</b>: the process (both lanes) or one lane's engine restarts at random: what is in memory (queues,
 *       knowledge, the batch waiting at the barrier) is lost, and each lane starts again from what it stored, reading
 *       its source again from its applied offset (or from the acknowledged position, when that is later: a
 *       PostgreSQL slot streams from its confirmed position).</li>
 * </ul>
 *
 * <p>Checked per history: both sides hold the same rows; a conflict was recorded on both sides for a key exactly
 * when writes of it were concurrent; every application write was delivered exactly once; a change found not
 * concurrent finds the target holding its before image; a write's stamp is the same each time it is captured; and
 * the history ends (no deadlock, a bounded number of steps). Variants that break one rule each must fail.
 */
class LatestWinsReadAheadModelTest {
    private static final List<String> COLUMNS = List.of("a", "b", "c");
    private static final int KEYS = 2;
    private static final int RUNS = 20_000;
    private static final int VARIANT_RUNS = 5_000;
    /** Steps after which a history counts as stuck (a livelock); histories take a few dozen steps. */
    private static final int MAX_STEPS = 20_000;

    /** The design, or a variant that breaks one of its rules. */
    enum Rules {
        DESIGNED,
        /** The barrier waits for the reverse lane's <em>applied</em> (stored) position, as built for fixed policies. */
        BARRIER_ON_APPLIED,
        /** A full queue blocks capture even while the reverse lane waits for it (no knowledge-only mode). */
        NO_KNOWLEDGE_ONLY,
        /** After knowledge-only, capture goes back to queueing from where it is instead of restarting. */
        NO_RESTART_AFTER_KNOWLEDGE_ONLY,
        /** Knowledge is not stored with the offset: a restart rebuilds it only from what it reads again. */
        KNOWLEDGE_NOT_STORED,
        /** Raw commit times as stamps, never raised past the version they overwrote. */
        RAW_STAMPS,
        /** Records acknowledged to the source when queued (Debezium's slot flush before the writer committed). */
        ACK_AT_CAPTURE,
        /**
         * PostgreSQL's {@code SELECT ... FOR UPDATE} without {@link MissingKeyHold}: it locks no missing key, so the
         * target's application may insert (and delete) a key the batch found missing before the batch commits (a
         * bridge insert of a key that is there then fails and the batch is retried; a decision that writes nothing
         * commits).
         */
        UNLOCKED_MISSING_KEYS,
        /**
         * As {@link #UNLOCKED_MISSING_KEYS}, with the first candidate fix: a missing key is held only after the
         * decision and only where a change applied to it writes nothing (a delete of the missing row). An application
         * insert and delete of a key between the read and the bridge's insert of it still goes unseen.
         */
        HELD_WHERE_NOTHING_WRITTEN,
        /**
         * The design with {@code key_write} pruned at random points: lane S -> O's stored knowledge of a key goes when
         * its last application write is at or before the reverse lane's stored seen (the fixed policies' rule) and its
         * version's stamp is older than the commit time of the last write before the lane's stored offset, so no write
         * capture can still read (again, after a restart) is raised by it. In-memory knowledge equal to the stored one
         * goes with it (the built capture forgets a key once its batch is applied and reads {@code key_write} after).
         */
        PRUNED,
        /** As {@link #PRUNED} with the fixed policies' rule only (position), whatever the version's stamp. */
        PRUNED_BY_POSITION_ONLY
    }

    @Test
    void shouldConvergeWithoutDeadlockAndDeliverEachChangeOnceUnderTheReadAheadDesign() {
        Outcome o = simulate(Rules.DESIGNED, RUNS, new SplittableRandom(2026));
        assertThat(o.stuck).as("deadlocked or stuck histories, first: %s", o.example).isZero();
        assertThat(o.diverged).as("diverging histories, first: %s", o.example).isZero();
        assertThat(o.conflictsWrong).as("a conflict recorded not exactly when concurrent, first: %s", o.example)
                .isZero();
        assertThat(o.notOnce).as("a change delivered other than once, first: %s", o.example).isZero();
        assertThat(o.notBeforeImage).as("a change not concurrent found the target not at its before image").isZero();
        assertThat(o.stampChanged).as("a write captured again got another stamp").isZero();
        // the histories exercise what the design is about
        assertThat(o.deletesRaced).as("histories where a delete met a concurrent write").isGreaterThan(RUNS / 20);
        assertThat(o.reinserts).as("histories that re-inserted a deleted key").isGreaterThan(RUNS / 20);
        assertThat(o.knowledgeOnly).as("histories that went knowledge-only and restarted").isGreaterThan(RUNS / 50);
        assertThat(o.crashed).as("histories with a crash or an engine restart").isGreaterThan(RUNS / 5);
        assertThat(o.concurrentHistories).as("histories with concurrent writes").isGreaterThan(RUNS / 5);
    }

    @Test
    void shouldShowThatABarrierOnTheAppliedPositionDeadlocks() {
        Outcome o = simulate(Rules.BARRIER_ON_APPLIED, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.stuck).as("both lanes hold a batch, each waiting for the other to apply").isGreaterThan(0);
    }

    @Test
    void shouldShowThatAFullQueueWithoutKnowledgeOnlyDeadlocks() {
        Outcome o = simulate(Rules.NO_KNOWLEDGE_ONLY, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.stuck).as("capture blocked on a full queue that the waiting apply cannot drain").isGreaterThan(0);
    }

    @Test
    void shouldShowThatKnowledgeOnlyWithoutARestartLosesChanges() {
        Outcome o = simulate(Rules.NO_RESTART_AFTER_KNOWLEDGE_ONLY, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.notOnce).as("changes dropped in knowledge-only mode never delivered").isGreaterThan(0);
    }

    @Test
    void shouldShowThatKnowledgeNotStoredWithTheOffsetDiverges() {
        Outcome o = simulate(Rules.KNOWLEDGE_NOT_STORED, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.diverged + o.conflictsWrong).as("writes before the applied offset forgotten at a restart")
                .isGreaterThan(0);
        assertThat(o.stampChanged).as("a stamp raised from forgotten versions").isGreaterThan(0);
    }

    @Test
    void shouldShowThatRawCommitTimesDiverge() {
        Outcome o = simulate(Rules.RAW_STAMPS, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.diverged).as("a write in the millisecond of (or, by skew, before) the version it overwrote")
                .isGreaterThan(0);
    }

    @Test
    void shouldShowThatAcknowledgingAtCaptureLosesChangesAfterACrash() {
        Outcome o = simulate(Rules.ACK_AT_CAPTURE, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.notOnce).as("the slot streams from the acknowledged position, past what was applied")
                .isGreaterThan(0);
    }

    /**
     * Pruning {@code key_write} under latest-wins (ARCHITECTURE.md, "Pruning key_write under latest-wins"): a stored
     * key goes when its last application write is at or before the reverse lane's stored seen and its version is older
     * than every write capture can still read, so later stamps and decisions are the same as with the row kept.
     */
    @Test
    void shouldConvergeWithKeyWritePrunedByPositionAndVersionAge() {
        Outcome o = simulate(Rules.PRUNED, RUNS, new SplittableRandom(2027));
        assertThat(o.stuck).as("stuck histories, first: %s", o.example).isZero();
        assertThat(o.diverged).as("diverging histories, first: %s", o.example).isZero();
        assertThat(o.conflictsWrong).as("a conflict recorded not exactly when concurrent, first: %s", o.example)
                .isZero();
        assertThat(o.notOnce).as("a change delivered other than once, first: %s", o.example).isZero();
        assertThat(o.notBeforeImage).as("a change not concurrent found the target not at its before image").isZero();
        assertThat(o.stampChanged).as("a write captured again got another stamp").isZero();
        assertThat(o.prunedHistories).as("histories that pruned a key_write row").isGreaterThan(RUNS / 10);
        assertThat(o.prunedThenWritten).as("histories where the source wrote a key again after its row was pruned")
                .isGreaterThan(RUNS / 1000);
    }

    /**
     * Why the version's age bounds the pruning under latest-wins: a version pruned by position alone can no longer
     * raise a later write's stamp, so a write captured before the pruning and again after a restart gets another
     * stamp, and the sides can decide one pair of writes by different stamps.
     */
    @Test
    void shouldShowThatPruningByPositionAloneChangesStampsUnderLatestWins() {
        Outcome o = simulate(Rules.PRUNED_BY_POSITION_ONLY, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.stampChanged + o.diverged).as("a stamp computed without the pruned version").isGreaterThan(0);
    }

    /**
     * A finding, not a variant of the design: on a PostgreSQL target the locked read locks no missing key, so the
     * target's application can insert a key the batch found missing and commit before the batch does. Where the batch
     * then writes nothing to that key (a delete of the missing row, a losing change), its mark commits after the
     * insert, which therefore counts as concurrent with the delivered change on the other side while it followed it
     * here. (The design needs the key held from the read to the commit, as MariaDB's and MySQL's gap locks do.)
     */
    @Test
    void shouldShowThatAnInsertOfAKeyTheLockedReadFoundMissingCanDivergeOnPostgres() {
        Outcome o = simulate(Rules.UNLOCKED_MISSING_KEYS, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.diverged).as("an application insert between the locked read and the commit").isGreaterThan(0);
    }

    /**
     * Why {@link MissingKeyHold} holds every missing key from the read, not only those the batch writes nothing to:
     * an application insert and delete of a key between the locked read and the bridge's own insert of it commit
     * before the batch, unseen by the barrier's knowledge (taken at the read) and leaving no row for the insert to
     * meet, and the sides diverge.
     */
    @Test
    void shouldShowThatHoldingOnlyKeysTheBatchWritesNothingToStillDiverges() {
        Outcome o = simulate(Rules.HELD_WHERE_NOTHING_WRITTEN, VARIANT_RUNS, new SplittableRandom(7));
        assertThat(o.diverged).as("an application insert and delete before the bridge's insert").isGreaterThan(0);
    }

    // ---------------------------------------------------------------------------------------------------

    /** The stamp of a key's version and the side whose application wrote it. */
    private record Version(Instant stamp, Side side) {}

    private record Write(int id, int side, int key, int pos, Instant time, TargetChange change, String what) {
        boolean isDelete() {
            return change.op() == TargetChange.Op.DELETE;
        }
    }

    /**
     * One entry of a side's log: an application write, or an echo (a bridge transaction) whose mark tells how far the
     * other side was delivered and the stamps of the versions the bridge wrote, per key.
     */
    private record Entry(Write write, int deliveredUpTo, Map<Integer, Version> versions) {}

    /** A captured write: its seen position, its stamp, and the versions of echoes read since the previous write. */
    private record Captured(Write write, int seen, Instant stamp, Map<Integer, Version> echoVersions) {}

    /** What a lane's capture knows of one key of its source, as of a log position. */
    private static final class Know {
        int lastAppPos = -1;
        Version version; // the key's current version on the source side, null for the base row

        Know copy() {
            Know k = new Know();
            k.lastAppPos = lastAppPos;
            k.version = version;
            return k;
        }
    }

    private static Know[] fresh() {
        Know[] k = new Know[KEYS];
        for (int i = 0; i < KEYS; i++) {
            k[i] = new Know();
        }
        return k;
    }

    private static Know[] copy(Know[] from) {
        Know[] k = new Know[KEYS];
        for (int i = 0; i < KEYS; i++) {
            k[i] = from[i].copy();
        }
        return k;
    }

    private static final class SideState {
        final Row[] rows = new Row[KEYS];
        final int[] locked = new int[KEYS]; // keys locked by a batch waiting at the barrier
        final int[] conflicts = new int[KEYS];
        final List<Entry> log = new ArrayList<>();
    }

    /** The lane capturing side {@code source}: its capture thread, its apply thread and what it stored on the target. */
    private static final class Lane {
        final int source;
        final int capacity;
        // capture, in memory
        int cursor;
        int seenOther = -1;
        Know[] know = fresh();
        Map<Integer, Version> echoVersions = new LinkedHashMap<>();
        final Deque<Captured> queue = new ArrayDeque<>();
        boolean knowledgeOnly;
        // apply, in memory
        List<Captured> batch;
        int lockedRead = -1;
        final Map<Integer, Row> read = new LinkedHashMap<>(); // the batch's keys as its locked read saw them
        final List<Integer> lockedKeys = new ArrayList<>();
        // stored on the target in the lane's transactions
        int storedCursor;
        int storedSeen = -1;
        Know[] storedKnow = fresh();
        // the source's acknowledged position (a PostgreSQL slot's confirmed flush)
        int acked;

        Lane(int source, int capacity) {
            this.source = source;
            this.capacity = capacity;
        }

        boolean pending(SideState side) {
            return cursor < side.log.size() || !queue.isEmpty() || batch != null || knowledgeOnly;
        }

        /** The first source position not yet applied (for the variant whose barrier waits for it). */
        int applied() {
            if (batch != null) {
                return batch.get(0).write.pos;
            }
            return queue.isEmpty() ? cursor : queue.peekFirst().write.pos;
        }
    }

    private static final class Outcome {
        int diverged;
        int conflictsWrong;
        int notOnce;
        int notBeforeImage;
        int stampChanged;
        int stuck;
        int deletesRaced;
        int reinserts;
        int knowledgeOnly;
        int crashed;
        int concurrentHistories;
        int prunedHistories;
        int prunedThenWritten;
        long steps;
        int maxSteps;
        String example;
    }

    private static Outcome simulate(Rules rules, int runs, SplittableRandom random) {
        Outcome o = new Outcome();
        for (int run = 0; run < runs; run++) {
            new History(rules, random, o).run();
        }
        System.out.printf("MODEL latest-wins read-ahead %s: diverged %d, conflicts not exactly when concurrent %d,"
                + " changes not delivered once %d, deadlocked or stuck %d, stamps changed %d, not at before image %d"
                + " of %d histories (concurrent %d, delete races %d, re-inserts %d, knowledge-only restarts %d, with"
                + " crashes %d, pruned %d, a pruned key written again %d; %.1f steps per history, at most %d)%n", rules,
                o.diverged, o.conflictsWrong, o.notOnce, o.stuck, o.stampChanged, o.notBeforeImage, runs,
                o.concurrentHistories, o.deletesRaced, o.reinserts, o.knowledgeOnly, o.crashed, o.prunedHistories,
                o.prunedThenWritten, o.steps / (double) runs, o.maxSteps);
        return o;
    }

    /** One random history: both sides, both lanes, and the threads' steps. */
    private static final class History {
        final Rules rules;
        final SplittableRandom random;
        final Outcome outcome;
        final SideState[] sides = {new SideState(), new SideState()};
        final Lane[] lanes;
        final int[] writesLeft;
        final long[] skew;
        final List<Write> writes = new ArrayList<>();
        final List<String> story = new ArrayList<>();
        final List<Integer> delivered = new ArrayList<>();
        final List<Instant> stamps = new ArrayList<>();
        final List<Row> bases = new ArrayList<>();
        long clock = 1_000;
        int crashesLeft;
        boolean knowledgeOnlyRestart;
        boolean crashed;
        boolean reinserted;
        boolean pruned;
        boolean prunedThenWritten;
        /** Keys whose stored knowledge was pruned, per lane (by the lane's source side). */
        final boolean[][] prunedKeys = new boolean[2][KEYS];
        final boolean[][] deleted = new boolean[2][KEYS];

        History(Rules rules, SplittableRandom random, Outcome outcome) {
            this.rules = rules;
            this.random = random;
            this.outcome = outcome;
            int[] sizes = {1, 1, 2, 3, 5, 8};
            lanes = new Lane[] {new Lane(0, sizes[random.nextInt(sizes.length)]),
                    new Lane(1, sizes[random.nextInt(sizes.length)])};
            writesLeft = new int[] {1 + random.nextInt(2 * KEYS + 3), 1 + random.nextInt(2 * KEYS + 3)};
            skew = new long[] {random.nextInt(5) - 2, random.nextInt(5) - 2}; // clock skew per server, ms
            crashesLeft = random.nextInt(3);
            for (int k = 0; k < KEYS; k++) {
                Row base = random.nextBoolean() ? row(k, "a0", "b0", "c0") : null;
                sides[0].rows[k] = base;
                sides[1].rows[k] = base;
                bases.add(base);
            }
        }

        void run() {
            int steps = 0;
            List<Runnable> enabled = new ArrayList<>();
            while (true) {
                enabled.clear();
                collect(enabled);
                if (enabled.isEmpty()) {
                    break;
                }
                if (++steps > MAX_STEPS) {
                    break;
                }
                enabled.get(random.nextInt(enabled.size())).run();
            }
            outcome.steps += steps;
            outcome.maxSteps = Math.max(outcome.maxSteps, steps);
            boolean pending = writesLeft[0] + writesLeft[1] > 0 || lanes[0].pending(sides[0])
                    || lanes[1].pending(sides[1]);
            if (pending) {
                outcome.stuck++;
                example("stuck after " + steps + " steps");
                return;
            }
            check();
        }

        /** Every step some thread can take now. */
        void collect(List<Runnable> enabled) {
            for (int s = 0; s < 2; s++) {
                int side = s;
                if (writesLeft[s] > 0) {
                    for (int k = 0; k < KEYS; k++) {
                        if (sides[s].locked[k] == 0) {
                            int key = k;
                            enabled.add(() -> appWrite(side, key));
                        }
                    }
                }
                Lane lane = lanes[s];
                if (canCapture(lane)) {
                    enabled.add(() -> capture(lane));
                }
                if (lane.batch == null && !lane.queue.isEmpty()) {
                    enabled.add(() -> startBatch(lane));
                }
                if (lane.batch != null && barrierPassed(lane)) {
                    enabled.add(() -> commitBatch(lane));
                }
                if (lane.knowledgeOnly && lane.queue.isEmpty() && lane.batch == null) {
                    enabled.add(() -> restartAfterKnowledgeOnly(lane));
                }
                if (rules == Rules.PRUNED || rules == Rules.PRUNED_BY_POSITION_ONLY) {
                    for (int k = 0; k < KEYS; k++) {
                        if (prunable(lane, k)) {
                            int key = k;
                            enabled.add(() -> prune(lane, key));
                        }
                    }
                }
            }
            if (crashesLeft > 0 && random.nextInt(12) == 0) {
                int which = random.nextInt(3);
                enabled.add(() -> crash(which));
            }
        }

        void appWrite(int side, int key) {
            writesLeft[side]--;
            prunedThenWritten |= prunedKeys[side][key];
            SideState s = sides[side];
            clock += random.nextInt(2); // many writes share a millisecond
            Instant time = Instant.ofEpochMilli(clock + skew[side]);
            Write w = write(writes.size(), side, key, s.log.size(), time, s.rows[key], "s" + side + "x" + writes.size());
            reinserted |= w.change.op() == TargetChange.Op.INSERT && deleted[side][key];
            deleted[side][key] |= w.isDelete();
            s.rows[key] = w.isDelete() ? null : w.change.after();
            s.log.add(new Entry(w, -1, Map.of()));
            writes.add(w);
            delivered.add(0);
            stamps.add(null);
            story.add(name(side) + " " + w.what + " @" + time.toEpochMilli());
        }

        /** Whether the reverse lane holds a batch waiting at its barrier for this lane's capture to pass its read. */
        boolean waitedOnBeyond(Lane lane) {
            Lane other = lanes[1 - lane.source];
            return other.batch != null && other.lockedRead > lane.cursor;
        }

        boolean canCapture(Lane lane) {
            List<Entry> log = sides[lane.source].log;
            if (lane.cursor >= log.size()) {
                return false;
            }
            if (lane.knowledgeOnly) {
                return waitedOnBeyond(lane); // reads only as far as a waiting barrier needs, then restarts
            }
            Entry e = log.get(lane.cursor);
            return e.write == null || lane.queue.size() < lane.capacity
                    || rules != Rules.NO_KNOWLEDGE_ONLY && rules != Rules.BARRIER_ON_APPLIED && waitedOnBeyond(lane);
        }

        void capture(Lane lane) {
            Entry e = sides[lane.source].log.get(lane.cursor++);
            if (e.write == null) {
                lane.seenOther = e.deliveredUpTo;
                for (Map.Entry<Integer, Version> v : e.versions.entrySet()) {
                    lane.know[v.getKey()].version = v.getValue();
                    lane.echoVersions.put(v.getKey(), v.getValue());
                }
                return;
            }
            Write w = e.write;
            Know k = lane.know[w.key];
            Instant stamp = rules == Rules.RAW_STAMPS ? w.time : raise(w.side, w.time, k.version);
            if (stamps.get(w.id) != null && !stamps.get(w.id).equals(stamp)) {
                outcome.stampChanged++;
            }
            stamps.set(w.id, stamp);
            k.lastAppPos = w.pos;
            k.version = new Version(stamp, sideOf(w.side));
            if (!lane.knowledgeOnly && lane.queue.size() >= lane.capacity) {
                lane.knowledgeOnly = true; // the queue is full and the reverse lane waits for this capture
                story.add("lane " + name(lane.source) + " knowledge-only from " + w.what);
            }
            if (lane.knowledgeOnly) {
                lane.echoVersions = new LinkedHashMap<>(); // dropped with the change, read again after the restart
                return;
            }
            lane.queue.addLast(new Captured(w, lane.seenOther, stamp, lane.echoVersions));
            lane.echoVersions = new LinkedHashMap<>();
            if (rules == Rules.ACK_AT_CAPTURE) {
                lane.acked = Math.max(lane.acked, w.pos + 1);
            }
        }

        void startBatch(Lane lane) {
            int n = 1 + random.nextInt(3);
            lane.batch = new ArrayList<>();
            for (int i = 0; i < n && !lane.queue.isEmpty(); i++) {
                lane.batch.add(lane.queue.pollFirst());
            }
            lockedRead(lane);
        }

        /**
         * The batch's locked read of its keys on the target: they stay locked until it commits, the missing ones too
         * (gap locks, or the hold, taken in the read's step here: an application write committed between the read and
         * the hold is as one before the read, since a row it left makes the hold fail and the batch read again, and the
         * barrier reads the target's position after the hold). In the unlocked variants only the keys that have a row.
         */
        void lockedRead(Lane lane) {
            SideState target = sides[1 - lane.source];
            lane.lockedRead = target.log.size();
            lane.read.clear();
            lane.lockedKeys.clear();
            for (Captured c : lane.batch) {
                int key = c.write.key;
                if (!lane.read.containsKey(key)) {
                    lane.read.put(key, target.rows[key]);
                    if (rules != Rules.UNLOCKED_MISSING_KEYS && rules != Rules.HELD_WHERE_NOTHING_WRITTEN
                            || target.rows[key] != null) {
                        target.locked[key]++;
                        lane.lockedKeys.add(key);
                    }
                }
            }
        }

        void unlock(Lane lane) {
            for (int key : lane.lockedKeys) {
                sides[1 - lane.source].locked[key]--;
            }
            lane.lockedKeys.clear();
        }

        boolean barrierPassed(Lane lane) {
            Lane other = lanes[1 - lane.source];
            return rules == Rules.BARRIER_ON_APPLIED ? other.applied() >= lane.lockedRead
                    : other.cursor >= lane.lockedRead;
        }

        void commitBatch(Lane lane) {
            int t = 1 - lane.source;
            SideState target = sides[t];
            Lane other = lanes[t];
            Side incoming = sideOf(lane.source);
            Map<Integer, Version> written = new LinkedHashMap<>();
            Map<Integer, Row> rows = new LinkedHashMap<>(lane.read); // decided on what the locked read saw
            int[] conflicts = new int[KEYS];
            List<String> lines = new ArrayList<>();
            for (Captured c : lane.batch) {
                TargetChange change = c.write.change;
                int key = c.write.key;
                Know kn = other.know[key];
                Version current = written.containsKey(key) ? written.get(key) : kn.version;
                boolean concurrent = kn.lastAppPos > c.seen;
                Row row = rows.get(key);
                if (!concurrent && !Objects.equals(row, change.op() == TargetChange.Op.INSERT ? null : change.before())) {
                    outcome.notBeforeImage++;
                }
                // the writer's own decision (TargetWriter under two-way latest-wins): the version this batch wrote
                // last for the key, else the one known, is the current one
                RowDecision d = RowDecision.decideByStamps(change, row, c.seen, kn.lastAppPos, c.stamp,
                        current == null ? null : current.stamp, incoming, "dual");
                if (d.conflict() != null) {
                    conflicts[key]++;
                }
                rows.put(key, d.resultingRow(row));
                if (d.conflict() == null || d.winner() == incoming) {
                    written.put(key, new Version(c.stamp, incoming));
                }
                lines.add("deliver " + c.write.what + " (seen " + c.seen + ", stamp " + c.stamp.toEpochMilli()
                        + ") to " + name(t) + ": " + (d.conflict() == null ? d.action().name()
                        : "conflict, " + d.action() + ", " + d.winner() + " wins"));
            }
            for (Map.Entry<Integer, Row> r : rows.entrySet()) {
                Row wasRead = lane.read.get(r.getKey());
                // the candidate fix: a key read missing that a change was applied to and the batch leaves missing is
                // held when the batch writes (inserted and deleted), so a row the application inserted since fails it
                boolean held = rules == Rules.HELD_WHERE_NOTHING_WRITTEN && wasRead == null && r.getValue() == null
                        && written.containsKey(r.getKey());
                if ((held || !Objects.equals(r.getValue(), wasRead)) && !Objects.equals(target.rows[r.getKey()], wasRead)) {
                    // the bridge inserts a key the target's application inserted after the read: a unique violation,
                    // the batch is retried (a new locked read, the barrier again)
                    unlock(lane);
                    lockedRead(lane);
                    story.add("unique violation on " + name(t) + ", batch retried");
                    return;
                }
            }
            for (Map.Entry<Integer, Row> r : rows.entrySet()) {
                if (!Objects.equals(r.getValue(), lane.read.get(r.getKey()))) {
                    target.rows[r.getKey()] = r.getValue();
                }
            }
            for (int k = 0; k < KEYS; k++) {
                target.conflicts[k] += conflicts[k];
            }
            for (Captured c : lane.batch) {
                delivered.set(c.write.id, delivered.get(c.write.id) + 1);
            }
            story.addAll(lines);
            unlock(lane);
            Captured last = lane.batch.get(lane.batch.size() - 1);
            target.log.add(new Entry(null, last.write.pos, written));
            // stored with the rows: the offset, the seen position, the knowledge of the source as of the offset
            lane.storedCursor = last.write.pos + 1;
            lane.storedSeen = last.seen;
            for (Captured c : lane.batch) {
                c.echoVersions.forEach((k, v) -> lane.storedKnow[k].version = v);
                lane.storedKnow[c.write.key].lastAppPos = c.write.pos;
                lane.storedKnow[c.write.key].version = new Version(c.stamp, sideOf(c.write.side));
            }
            lane.acked = Math.max(lane.acked, lane.storedCursor); // acknowledged after the commit
            lane.batch = null;
            lane.lockedRead = -1;
        }

        /**
         * Whether lane S -> O's stored knowledge of {@code key} (its {@code key_write} row on O) may go: its last
         * application write at or before the reverse lane's stored seen (every change that lane can still deliver
         * carries at least that seen, so a missing row decides alike), and, under {@link Rules#PRUNED}, its version's
         * stamp before the commit time of the last application write before the lane's stored offset: every write capture
         * can still read (again) commits at or after that, later than the version, so the version raises no stamp.
         */
        boolean prunable(Lane lane, int key) {
            Know stored = lane.storedKnow[key];
            if (stored.lastAppPos == -1 && stored.version == null) {
                return false; // no row
            }
            if (stored.lastAppPos > lanes[1 - lane.source].storedSeen) {
                return false;
            }
            if (rules == Rules.PRUNED_BY_POSITION_ONLY || stored.version == null) {
                return true;
            }
            Instant floor = null; // the commit time of the last application write before the stored offset
            List<Entry> log = sides[lane.source].log;
            for (int i = Math.min(lane.storedCursor, log.size()) - 1; i >= 0 && floor == null; i--) {
                if (log.get(i).write != null) {
                    floor = log.get(i).write.time;
                }
            }
            return floor != null && stored.version.stamp.isBefore(floor);
        }

        void prune(Lane lane, int key) {
            Know stored = lane.storedKnow[key];
            Know memory = lane.know[key];
            if (memory.lastAppPos == stored.lastAppPos && Objects.equals(memory.version, stored.version)) {
                lane.know[key] = new Know(); // unchanged since stored: the built capture forgot it and reads key_write
            }
            lane.storedKnow[key] = new Know();
            pruned = true;
            prunedKeys[lane.source][key] = true;
            story.add("lane " + name(lane.source) + " prunes its key_write row of key " + key);
        }

        void restartAfterKnowledgeOnly(Lane lane) {
            knowledgeOnlyRestart = true;
            if (rules == Rules.NO_RESTART_AFTER_KNOWLEDGE_ONLY) {
                lane.knowledgeOnly = false;
                story.add("lane " + name(lane.source) + " back to queueing at " + lane.cursor);
                return;
            }
            restart(lane);
            story.add("lane " + name(lane.source) + " restarts from " + lane.cursor + " after knowledge-only");
        }

        void crash(int which) {
            crashesLeft--;
            crashed = true;
            for (Lane lane : lanes) {
                if (which == 2 || which == lane.source) {
                    restart(lane);
                }
            }
            story.add(which == 2 ? "crash: both lanes restart" : "lane " + name(which) + " engine restarts");
        }

        /** A lane starts again from what it stored: memory lost, the batch at the barrier rolled back. */
        void restart(Lane lane) {
            unlock(lane);
            lane.batch = null;
            lane.lockedRead = -1;
            lane.queue.clear();
            lane.knowledgeOnly = false;
            lane.cursor = Math.max(lane.storedCursor, lane.acked); // a slot streams from its confirmed position
            lane.seenOther = lane.storedSeen;
            lane.know = rules == Rules.KNOWLEDGE_NOT_STORED ? fresh() : copy(lane.storedKnow);
            lane.echoVersions = new LinkedHashMap<>();
        }

        void check() {
            outcome.knowledgeOnly += knowledgeOnlyRestart ? 1 : 0;
            outcome.crashed += crashed ? 1 : 0;
            outcome.reinserts += reinserted ? 1 : 0;
            outcome.prunedHistories += pruned ? 1 : 0;
            outcome.prunedThenWritten += prunedThenWritten ? 1 : 0;
            boolean ok = true;
            boolean conflictsOk = true;
            boolean anyConcurrent = false;
            boolean deleteRaced = false;
            for (int k = 0; k < KEYS; k++) {
                boolean concurrent = concurrent(k, false);
                anyConcurrent |= concurrent;
                deleteRaced |= concurrent(k, true);
                ok &= Objects.equals(sides[0].rows[k], sides[1].rows[k]);
                conflictsOk &= concurrent == (sides[0].conflicts[k] > 0) && concurrent == (sides[1].conflicts[k] > 0);
            }
            boolean once = delivered.stream().allMatch(n -> n == 1);
            outcome.concurrentHistories += anyConcurrent ? 1 : 0;
            outcome.deletesRaced += deleteRaced ? 1 : 0;
            outcome.diverged += ok ? 0 : 1;
            outcome.conflictsWrong += conflictsOk ? 0 : 1;
            outcome.notOnce += once ? 0 : 1;
            if (!ok || !conflictsOk || !once) {
                example("delivered " + delivered);
            }
        }

        void example(String what) {
            if (outcome.example == null) {
                outcome.example = what + "; from " + bases + " (skew " + skew[0] + "/" + skew[1] + " ms, queues "
                        + lanes[0].capacity + "/" + lanes[1].capacity + "): " + story + " -> v1 "
                        + Arrays.asList(sides[0].rows) + ", v2 " + Arrays.asList(sides[1].rows);
            }
        }

        /**
         * Whether a v1 write and a v2 write of {@code key} (one a delete, if {@code delete}) were concurrent: neither
         * side had received the other's write when it made its own (read from the echoes in the logs).
         */
        boolean concurrent(int key, boolean delete) {
            for (Write w : writes) {
                for (Write x : writes) {
                    if (w.side == 0 && x.side == 1 && w.key == key && x.key == key && (!delete || w.isDelete()
                            || x.isDelete()) && !received(sides[0], w.pos, x.pos) && !received(sides[1], x.pos, w.pos)) {
                        return true;
                    }
                }
            }
            return false;
        }
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

    /**
     * The stamp of an application write of {@code side} committed at {@code time}: raised to order after {@code
     * overwritten} (the key's current version as capture knows it in log order) in latest-wins' order (time, then v1
     * on a tie): a v1 write over a v2 version at least the same millisecond, any other at least the next one.
     */
    private static Instant raise(int side, Instant time, Version overwritten) {
        if (overwritten == null) {
            return time;
        }
        Instant after = side == 0 && overwritten.side == Side.V2 ? overwritten.stamp : overwritten.stamp.plusMillis(1);
        return time.isAfter(after) ? time : after;
    }

    private static Write write(int id, int side, int key, int pos, Instant time, Row current, String tag) {
        SplittableRandom r = new SplittableRandom(id * 31L + pos * 7L + side);
        if (current == null) {
            Row inserted = row(key, "a" + tag, "b" + tag, "c" + tag);
            return new Write(id, side, key, pos, time, new TargetChange("t", TargetChange.Op.INSERT, key(key), null,
                    inserted, COLUMNS, COLUMNS, time, "x"), "insert " + tag);
        }
        if (r.nextInt(4) == 0) {
            return new Write(id, side, key, pos, time, new TargetChange("t", TargetChange.Op.DELETE, key(key), current,
                    null, COLUMNS, COLUMNS, time, "x"), "delete " + tag);
        }
        Map<String, Object> after = new LinkedHashMap<>(current.asMap());
        List<String> changed = new ArrayList<>();
        for (String c : COLUMNS) {
            if (r.nextInt(3) == 0) {
                after.put(c, c + tag);
                changed.add(c);
            }
        }
        return new Write(id, side, key, pos, time, new TargetChange("t", TargetChange.Op.UPDATE, key(key), current,
                Row.of(after), COLUMNS, changed, time, "x"), "update " + changed + " " + tag);
    }
}
