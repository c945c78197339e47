package io.graybridge.bridge.deadletter;

import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.mapping.MappingException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The lane's decision per source change: map it, or keep it as a dead letter. A change of a paused table
 * is held (so the table's order is kept); a change whose mapping fails becomes a dead letter and, under
 * {@link DeadLetterPolicy.Action#PAUSE}, pauses its table. Not thread-safe: one per lane, used by its
 * capture thread.
 *
 * @param <T> what a mapped change becomes (the target changes)
 */
public final class DeadLetterRouter<T> {
    private final String lane;
    private final DeadLetterPolicy policy;
    private final Function<SourceChange, String> keyOf;
    private final Map<String, String> paused = new HashMap<>();

    /**
     * @param lane the lane's name
     * @param policy pause or skip, per table
     * @param keyOf the readable key of a source change
     */
    public DeadLetterRouter(String lane, DeadLetterPolicy policy, Function<SourceChange, String> keyOf) {
        this.lane = lane;
        this.policy = policy;
        this.keyOf = keyOf;
    }

    /** What became of one change: its mapped form, or a dead letter. */
    public record Routed<T>(List<T> mapped, DeadLetter letter) {
        public boolean isDeadLetter() {
            return letter != null;
        }
    }

    /**
     * Maps {@code change} with {@code map}, unless its table is paused; a {@link MappingException} from
     * {@code map} becomes a dead letter carrying its message.
     */
    public Routed<T> route(SourceChange change, Function<SourceChange, List<T>> map) {
        String pausedBy = paused.get(change.table());
        if (pausedBy != null) {
            return new Routed<>(List.of(), letter(change, DeadLetter.Reason.HELD, DeadLetterPolicy.Action.PAUSE, pausedBy));
        }
        try {
            return new Routed<>(map.apply(change), null);
        } catch (MappingException e) {
            DeadLetterPolicy.Action action = policy.forTable(change.table());
            if (action == DeadLetterPolicy.Action.PAUSE) {
                paused.put(change.table(), e.getMessage());
            }
            return new Routed<>(List.of(), letter(change, DeadLetter.Reason.FAILED, action, e.getMessage()));
        }
    }

    /** Replaces the paused tables (table -> the error that paused it) with what the metadata says. */
    public void paused(Map<String, String> pausedTables) {
        paused.clear();
        paused.putAll(pausedTables);
    }

    /** The paused tables and the error that paused each. */
    public Map<String, String> paused() {
        return Map.copyOf(paused);
    }

    private DeadLetter letter(SourceChange change, DeadLetter.Reason reason, DeadLetterPolicy.Action action, String error) {
        return new DeadLetter(0, lane, change, keyOf.apply(change), reason, action, error, 0, null);
    }
}
