package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import java.util.List;

/**
 * What one column rule does, in both directions. Implementations are immutable and thread-safe.
 *
 * <p>For a direction, the rule reads some source columns ({@link #reads}), writes some target columns
 * ({@link #writes}) and stops some source columns from passing through ({@link #consumes}). The
 * translator calls {@link #apply} only when every column it reads is present in the source row; when one
 * is absent the rule's target columns stay absent ("unknown, leave the target as it is").
 */
public interface ColumnLogic {

    /** The source columns {@link #apply} receives, in this order. */
    List<String> reads(Direction direction);

    /** The target columns {@link #apply} returns values for, in this order. */
    List<String> writes(Direction direction);

    /** The source columns that do not pass through under their own name. */
    List<String> consumes(Direction direction);

    /**
     * Whether the values this rule writes are only a fallback: set when no other rule or pass-through
     * column gave the target column a value (defaults).
     */
    default boolean fallback(Direction direction) {
        return false;
    }

    /**
     * Whether {@code backward(forward(x))} gives back {@code x} for every value the forward direction
     * accepts. One-way rules (a computed column without an inverse) say false; {@code mappings check}
     * reports them.
     */
    default boolean invertible() {
        return true;
    }

    /**
     * Translates the values of {@link #reads} into the values of {@link #writes}.
     *
     * @throws IllegalArgumentException saying why a value cannot be translated (the translator adds the
     *     table, the columns, the key and the rule)
     */
    Object[] apply(Direction direction, Object[] values);

    /** A short description for reports: {@code map A/I <-> active/inactive, unmapped: error}. */
    String describe();
}
