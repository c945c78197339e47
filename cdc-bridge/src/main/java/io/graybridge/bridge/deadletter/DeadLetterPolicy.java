package io.graybridge.bridge.deadletter;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a lane does after a change of a table fails mapping: the lane's default ({@code pause} unless
 * configured) or the table's own setting ({@code lanes.<lane>.dead-letters}).
 *
 * @param defaultAction for tables without their own setting
 * @param perTable by source table name
 */
public record DeadLetterPolicy(Action defaultAction, Map<String, Action> perTable) {

    /** Pause every table: the default. */
    public static final DeadLetterPolicy PAUSE = new DeadLetterPolicy(Action.PAUSE, Map.of());

    public DeadLetterPolicy {
        Objects.requireNonNull(defaultAction, "defaultAction");
        perTable = Map.copyOf(perTable);
    }

    /** The action for a change of source table {@code table}. */
    public Action forTable(String table) {
        return perTable.getOrDefault(table, defaultAction);
    }

    /** The two policies. */
    public enum Action {
        /**
         * Record the change and hold every later change of its table as a dead letter too, in order, until
         * {@code graybridge deadletters retry} applies them; the other tables keep flowing.
         */
        PAUSE,
        /** Record the change and go on with the table's next change. */
        SKIP;

        /** The name operators write: {@code pause} or {@code skip}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
