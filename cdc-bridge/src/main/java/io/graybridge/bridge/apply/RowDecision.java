package io.graybridge.bridge.apply;

import io.graybridge.bridge.conflict.BuiltInResolvers;
import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to write for one change, given the target's current row: the conflict model in one place.
 *
 * <p>A change conflicts when the target's own application changed the row since the lane's last
 * delivery for it, which shows as the current row differing from the change's translated before image
 * in any compared column (columns that carry source data; not those the mapping only defaults):
 * <ul>
 *   <li>insert: the key exists with different values ({@link Conflict.Kind#INSERT_INSERT});</li>
 *   <li>update: the row differs from the before image ({@link Conflict.Kind#UPDATE_UPDATE}), or is gone
 *       ({@link Conflict.Kind#UPDATE_DELETE});</li>
 *   <li>delete: the row differs from the before image ({@link Conflict.Kind#DELETE_UPDATE}).</li>
 * </ul>
 * A delete never beats a concurrent insert or update of the same row: the row survives on both sides
 * (add-wins), whatever the policy, and the conflict is recorded with the modifying side as winner. The
 * reason is symmetry: a delete that meets a changed row on one side has as counterpart, on the other
 * side, a change that meets no row, and when that change is an insert the other side cannot tell it
 * from a plain new row, so only "the change wins" gives the same answer on both sides.
 *
 * <p>For insert/insert and update/update conflicts the policy names the winning side, and resolution is
 * by row: the winning change is applied in full
 * (every compared column takes its after value; an update whose row is gone is re-inserted), the
 * losing change is not applied at all. Both lanes see the same competing changes from opposite sides;
 * with a symmetric policy both keep the same version, and a later change made on the losing side on top
 * of its losing version conflicts again on the other side and loses again, so the sides end equal.
 * Without a conflict an update writes only its changed columns. Updates of different columns of one row
 * made on both sides at once therefore conflict too (one side's update is lost, on both sides alike):
 * comparing only the changed columns would merge them, but then a later change on the losing side can
 * slip through where values happen to coincide, and the sides diverge (ARCHITECTURE.md, "Conflicts").
 */
public final class RowDecision {
    /** What to execute. */
    public enum Action {
        NONE,
        INSERT,
        UPDATE,
        DELETE
    }

    private final Action action;
    private final Row row;
    private final List<String> setColumns;
    private final Conflict conflict;
    private final Side winner;

    private RowDecision(Action action, Row row, List<String> setColumns, Conflict conflict, Side winner) {
        this.action = action;
        this.row = row;
        this.setColumns = List.copyOf(setColumns);
        this.conflict = conflict;
        this.winner = winner;
    }

    public Action action() {
        return action;
    }

    /** For an insert, the full row; for an update, the new values (of {@link #setColumns()}); for a delete, the key. */
    public Row row() {
        return row;
    }

    /** For an update, the columns to set. */
    public List<String> setColumns() {
        return setColumns;
    }

    /** The conflict found, or {@code null}. */
    public Conflict conflict() {
        return conflict;
    }

    /** The winning side when there was a conflict, or {@code null}. */
    public Side winner() {
        return winner;
    }

    /** The target row after this decision ({@code null} when deleted or still missing). */
    public Row resultingRow(Row current) {
        switch (action) {
            case INSERT:
                return row;
            case DELETE:
                return null;
            case UPDATE: {
                Map<String, Object> merged = new LinkedHashMap<>(current.asMap());
                setColumns.forEach(c -> merged.put(c, row.get(c)));
                return Row.of(merged);
            }
            default:
                return current;
        }
    }

    /**
     * Decides what to write for {@code change}.
     *
     * @param current the target's current row, or {@code null} when the key is missing
     * @param currentCommit when {@code current} committed, or {@code null} when unknown
     * @param incomingSide the side {@code change} comes from
     * @param resolver the conflict policy
     * @param phase the release phase, for phase-aware policies
     */
    public static RowDecision decide(
            TargetChange change, Row current, Instant currentCommit, Side incomingSide, ConflictResolver resolver,
            String phase) {
        switch (change.op()) {
            case SNAPSHOT: {
                if (current == null) {
                    return insert(change.after());
                }
                return update(change.key(), change.after(), toWrite(change.columns(), current, change.after()));
            }
            case INSERT: {
                if (current == null) {
                    return insert(change.after());
                }
                List<String> differing = differing(change.columns(), current, change.after());
                if (differing.isEmpty()) {
                    return none();
                }
                Conflict c = conflict(Conflict.Kind.INSERT_INSERT, change, current, currentCommit, differing,
                        incomingSide, phase);
                Side winner = resolver.winner(c);
                return winner == incomingSide
                        ? new RowDecision(Action.UPDATE, change.after(), toWrite(change.columns(), current, change.after()),
                                c, winner)
                        : new RowDecision(Action.NONE, null, List.of(), c, winner);
            }
            case UPDATE:
            case CLEAR: {
                if (change.changed().isEmpty()) {
                    // changed nothing this side can see (or rewrote equal values): nothing to apply, nothing to
                    // compete with; treating it as a write would let it win a conflict here while it has no
                    // effect on its own side
                    return none();
                }
                if (current == null && change.op() == TargetChange.Op.CLEAR) {
                    return none(); // the part's columns went with the whole row
                }
                if (current == null) {
                    // a change beats a delete, whatever the policy (see the class comment)
                    Conflict c = conflict(Conflict.Kind.UPDATE_DELETE, change, null, currentCommit, change.changed(),
                            incomingSide, phase);
                    return new RowDecision(Action.INSERT, change.after(), List.of(), c, incomingSide);
                }
                List<String> disputed = differing(change.columns(), current, change.before());
                if (disputed.isEmpty()) {
                    return update(change.key(), change.after(), toWrite(change.changed(), current, change.after()));
                }
                Conflict c = conflict(Conflict.Kind.UPDATE_UPDATE, change, current, currentCommit, disputed,
                        incomingSide, phase);
                Side winner = resolver.winner(c);
                List<String> set = winner == incomingSide ? toWrite(change.columns(), current, change.after()) : List.of();
                return new RowDecision(set.isEmpty() ? Action.NONE : Action.UPDATE, change.after(), set, c, winner);
            }
            case DELETE: {
                if (current == null) {
                    return none();
                }
                List<String> differing = differing(change.columns(), current, change.before());
                if (differing.isEmpty()) {
                    return new RowDecision(Action.DELETE, change.key(), List.of(), null, null);
                }
                // a change beats a delete, whatever the policy (see the class comment)
                Conflict c = conflict(Conflict.Kind.DELETE_UPDATE, change, current, currentCommit, differing,
                        incomingSide, phase);
                return new RowDecision(Action.NONE, null, List.of(), c, incomingSide.other());
            }
            default:
                throw new IllegalStateException("unexpected op " + change.op());
        }
    }

    /**
     * The delete-convergence decision for a fixed policy (ARCHITECTURE.md, "Conflicts"): {@code change} and the
     * target's own application's last write of the key were <em>concurrent</em> when that write came after
     * everything of the incoming side the change's side had received when it was made ({@code lastTargetWrite >
     * seen}); then it is a conflict and {@code winner} decides: the winning change is applied in full (its after
     * image, a re-insert of a deleted row, or the delete), the losing one not at all. A change that is not concurrent
     * is applied as it is. Deletes are writes like any other (no add-wins), so every change is a write, an update
     * that changed nothing visible included.
     *
     * <p>The lane into the losing side calls this with what knowledge it has (it applies every change whatever it
     * finds, and records the conflicts it can see); the lane into the winning side only after the barrier, when the
     * knowledge of the target's own writes is complete up to the locked read.
     *
     * @param current the target's current row, or {@code null} when the key is missing
     * @param currentCommit when {@code current} committed, or {@code null} (for the record only)
     * @param seen how far the target's changes had been delivered to the change's side when it was made
     * @param lastTargetWrite the commit position of the target application's last write of the key, {@link
     *     io.graybridge.bridge.capture.SourcePositions#NONE} when none is known
     * @param winner the side the policy names for every conflict
     */
    public static RowDecision decideKnowing(TargetChange change, Row current, Instant currentCommit, long seen,
            long lastTargetWrite, Side incomingSide, Side winner, String phase) {
        if (change.op() == TargetChange.Op.SNAPSHOT) {
            return current == null ? insert(change.after())
                    : update(change.key(), change.after(), toWrite(change.columns(), current, change.after()));
        }
        Conflict c = null;
        if (lastTargetWrite > seen) {
            Row image = change.op() == TargetChange.Op.DELETE ? change.before() : change.after();
            List<String> disputed = current == null ? change.columns() : differing(change.columns(), current, image);
            c = conflict(kind(change, current), change, current, currentCommit,
                    disputed.isEmpty() ? change.columns() : disputed, incomingSide, phase);
            if (winner != incomingSide) {
                return new RowDecision(Action.NONE, null, List.of(), c, winner);
            }
        }
        Side won = c == null ? null : incomingSide;
        switch (change.op()) {
            case DELETE:
                return current == null ? new RowDecision(Action.NONE, null, List.of(), c, won)
                        : new RowDecision(Action.DELETE, change.key(), List.of(), c, won);
            case CLEAR:
            case INSERT:
            case UPDATE: {
                if (current == null && change.op() == TargetChange.Op.CLEAR) {
                    return new RowDecision(Action.NONE, null, List.of(), c, won); // the part went with the whole row
                }
                if (current == null) {
                    return new RowDecision(Action.INSERT, change.after(), List.of(), c, won);
                }
                List<String> set = toWrite(change.columns(), current, change.after());
                return new RowDecision(set.isEmpty() ? Action.NONE : Action.UPDATE, change.after(), set, c, won);
            }
            default:
                throw new IllegalStateException("unexpected op " + change.op());
        }
    }

    /**
     * The decision of two-way {@code latest-wins} (ARCHITECTURE.md, "latest-wins: the build plan"): as {@link
     * #decideKnowing}, concurrent when the target's application wrote the key after the change's {@code seen}, and the
     * winner of a concurrent pair the later of the change's stamp and the stamp of the key's current version on the
     * target ({@link BuiltInResolvers.LatestWins#later}, v1 on a tie). Both lanes call it only after the barrier on the
     * reverse lane's captured position, so both record every concurrent pair.
     *
     * @param stamp the change's stamp ({@link io.graybridge.bridge.capture.SourceChange#stamp})
     * @param currentStamp the stamp of the key's current version on the target (the last this batch wrote, else the
     *     one known), or {@code null} when none is known; recorded as the current version's time
     */
    public static RowDecision decideByStamps(TargetChange change, Row current, long seen, long lastTargetWrite,
            Instant stamp, Instant currentStamp, Side incomingSide, String phase) {
        Side winner = BuiltInResolvers.LatestWins.later(incomingSide, stamp, currentStamp);
        return decideKnowing(change, current, currentStamp, seen, lastTargetWrite, incomingSide, winner, phase);
    }

    /** The kind of a concurrent pair: a delete against a write, a write against a delete (or a re-insert), or two writes. */
    private static Conflict.Kind kind(TargetChange change, Row current) {
        if (change.op() == TargetChange.Op.DELETE) {
            return Conflict.Kind.DELETE_UPDATE;
        }
        if (current == null) {
            return Conflict.Kind.UPDATE_DELETE;
        }
        return change.op() == TargetChange.Op.INSERT ? Conflict.Kind.INSERT_INSERT : Conflict.Kind.UPDATE_UPDATE;
    }

    private static RowDecision none() {
        return new RowDecision(Action.NONE, null, List.of(), null, null);
    }

    private static RowDecision insert(Row row) {
        return new RowDecision(Action.INSERT, row, List.of(), null, null);
    }

    private static RowDecision update(Row key, Row values, List<String> columns) {
        return columns.isEmpty() ? none() : new RowDecision(Action.UPDATE, values, columns, null, null);
    }

    /** The columns of {@code columns} where {@code current} differs from {@code image} (absent columns skipped). */
    private static List<String> differing(List<String> columns, Row current, Row image) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (image.has(c) && current.has(c) && !Values.same(current.get(c), image.get(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The columns of {@code columns} to write so that {@code current} holds {@code image}'s values: those
     * that differ, and those {@code current} does not show (a row this batch inserted with only some of
     * its columns, as a part of a split table does).
     */
    private static List<String> toWrite(List<String> columns, Row current, Row image) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (image.has(c) && (!current.has(c) || !Values.same(current.get(c), image.get(c)))) {
                out.add(c);
            }
        }
        return out;
    }

    private static Conflict conflict(Conflict.Kind kind, TargetChange change, Row current, Instant currentCommit,
            List<String> columns, Side incomingSide, String phase) {
        return new Conflict(kind, change.table(), change.key(), incomingSide, change.before(), change.after(),
                change.sourceCommit(), current, currentCommit, columns, phase);
    }
}
