package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Side;
import java.util.Objects;

/**
 * One column rule of a declarative table mapping.
 *
 * @param kind what the rule does
 * @param v1Column the v1 column, or {@code null} for {@link Kind#DEFAULT}
 * @param v2Column the v2 column, or {@code null} for {@link Kind#DROP}
 * @param conversion the conversion for {@link Kind#CONVERT}, otherwise {@code null}
 * @param defaultValue the value forward adds for {@link Kind#DEFAULT} (may be {@code null}: the column is set
 *     to NULL), otherwise {@code null}
 * @param origin file and line of the rule
 */
public record ColumnRule(
        Kind kind, String v1Column, String v2Column, Conversion conversion, Object defaultValue, String origin) {

    public ColumnRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
    }

    public enum Kind {
        /** {@code v1} is {@code v2} under another name, the value unchanged. */
        RENAME,
        /** {@code v1} is {@code v2} (same name unless given) through a {@link Conversion}. */
        CONVERT,
        /** {@code v2} exists on v2 only: forward adds it with the default, backward drops it. */
        DEFAULT,
        /** {@code v1} exists on v1 only: forward drops it, backward leaves it absent (unchanged on v1). */
        DROP
    }

    /** The column this rule names on {@code side}, or {@code null}. */
    public String column(Side side) {
        return side == Side.V1 ? v1Column : v2Column;
    }
}
