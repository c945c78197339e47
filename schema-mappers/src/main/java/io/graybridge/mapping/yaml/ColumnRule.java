package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Side;
import java.util.List;
import java.util.Objects;

/**
 * One column rule of a declarative table mapping.
 *
 * @param kind what the rule does
 * @param v1Column the v1 column, or the first of several ({@link Kind#MERGE}, {@link Kind#PACK_JSON}), or
 *     {@code null} when the rule names none on v1 ({@link Kind#DEFAULT}, a {@link Kind#COMPUTE} of a new column)
 * @param v2Column the v2 column, or the first of several ({@link Kind#SPLIT}, {@link Kind#UNPACK_JSON}), or
 *     {@code null} for {@link Kind#DROP}
 * @param conversion the conversion for {@link Kind#CONVERT}, otherwise {@code null}
 * @param defaultValue the value forward adds for {@link Kind#DEFAULT}, or backward adds for a {@link Kind#DROP}
 *     with a default (may be {@code null}: the column is set to NULL), otherwise {@code null}
 * @param origin file and line of the rule
 * @param v1Columns every v1 column the rule names, in file order (empty when none)
 * @param v2Columns every v2 column the rule names, in file order (empty when none)
 * @param logic what the rule does in each direction
 */
public record ColumnRule(
        Kind kind,
        String v1Column,
        String v2Column,
        Conversion conversion,
        Object defaultValue,
        String origin,
        List<String> v1Columns,
        List<String> v2Columns,
        ColumnLogic logic) {

    public ColumnRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        v1Columns = List.copyOf(v1Columns);
        v2Columns = List.copyOf(v2Columns);
        Objects.requireNonNull(logic, "logic");
    }

    /** A rule of one of the first four kinds (rename, convert, default, drop without a default). */
    public ColumnRule(Kind kind, String v1Column, String v2Column, Conversion conversion, Object defaultValue, String origin) {
        this(kind, v1Column, v2Column, conversion, defaultValue, origin, one(v1Column), one(v2Column),
                ColumnLogics.simple(kind, v1Column, v2Column, conversion, defaultValue));
    }

    public enum Kind {
        /** {@code v1} is {@code v2} under another name, the value unchanged. */
        RENAME,
        /** {@code v1} is {@code v2} (same name unless given) through a {@link Conversion}. */
        CONVERT,
        /** {@code v2} exists on v2 only: forward adds it with the default, backward drops it. */
        DEFAULT,
        /** {@code v1} exists on v1 only: forward drops it, backward leaves it absent or sets its declared default. */
        DROP,
        /** {@code v1} is {@code v2} through a declared value map, with a declared answer for unmapped values. */
        VALUE_MAP,
        /** {@code v2} is computed by a sandboxed expression; backward by an inverse expression, or one-way. */
        COMPUTE,
        /** One v1 column split into several v2 columns at a separator; backward joins them. */
        SPLIT,
        /** Several v1 columns merged into one v2 column with a separator; backward splits it. */
        MERGE,
        /** Several v1 columns packed into one v2 JSON text column; backward unpacks them. */
        PACK_JSON,
        /** One v1 JSON text column unpacked into several v2 columns; backward packs them. */
        UNPACK_JSON
    }

    /** The column this rule names on {@code side} (the first one, for a rule that names several), or {@code null}. */
    public String column(Side side) {
        return side == Side.V1 ? v1Column : v2Column;
    }

    /** Every column this rule names on {@code side}. */
    public List<String> columns(Side side) {
        return side == Side.V1 ? v1Columns : v2Columns;
    }

    private static List<String> one(String column) {
        return column == null ? List.of() : List.of(column);
    }
}
