package io.graybridge.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable row: column names in table order mapped to canonical Java values.
 *
 * <p>Canonical values are {@code null}, {@link String}, {@link Boolean}, {@link Short}, {@link Integer},
 * {@link Long}, {@link java.math.BigInteger}, {@link Float}, {@link Double}, {@link java.math.BigDecimal},
 * {@link java.time.LocalDate}, {@link java.time.LocalTime}, {@link java.time.LocalDateTime},
 * {@link java.time.OffsetDateTime}, {@link java.time.Instant}, {@link java.util.UUID} and {@code byte[]}.
 * A column that is absent is different from a column that is present with a {@code null} value: an
 * absent column is left untouched by the writer.
 */
public final class Row {
    private static final Row EMPTY = new Row(Map.of());

    private final Map<String, Object> values;

    private Row(Map<String, Object> values) {
        this.values = values;
    }

    public static Row empty() {
        return EMPTY;
    }

    /** Copies {@code values}, keeping their iteration order. Null values are allowed, null names are not. */
    public static Row of(Map<String, ?> values) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "column name"), value));
        return new Row(Collections.unmodifiableMap(copy));
    }

    /** A builder for a new row, for translators that assemble a row column by column (no copy at the end). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Assembles one row in column order; {@link #build} hands the columns over without copying them, after
     * which the builder refuses further use. Not thread-safe (one builder per row being built).
     */
    public static final class Builder {
        private LinkedHashMap<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        /** Whether {@code column} was set (to a value or to null). */
        public boolean has(String column) {
            return open().containsKey(column);
        }

        /** Sets {@code column}, replacing an earlier value (the column keeps its first place). */
        public Builder put(String column, Object value) {
            open().put(Objects.requireNonNull(column, "column name"), value);
            return this;
        }

        /** Sets {@code column} unless it was set already. */
        public Builder putIfAbsent(String column, Object value) {
            open().putIfAbsent(Objects.requireNonNull(column, "column name"), value);
            return this;
        }

        public Row build() {
            Row row = new Row(Collections.unmodifiableMap(open()));
            values = null;
            return row;
        }

        private LinkedHashMap<String, Object> open() {
            if (values == null) {
                throw new IllegalStateException("this row was built already");
            }
            return values;
        }
    }

    public boolean has(String column) {
        return values.containsKey(column);
    }

    /** The value of {@code column}, or {@code null} when it is null or absent (see {@link #has}). */
    public Object get(String column) {
        return values.get(column);
    }

    public Set<String> columns() {
        return values.keySet();
    }

    /** An unmodifiable view in column order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public int size() {
        return values.size();
    }

    /** A copy with {@code column} set to {@code value} (added at the end when it was absent). */
    public Row with(String column, Object value) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(Objects.requireNonNull(column, "column name"), value);
        return new Row(Collections.unmodifiableMap(copy));
    }

    /** A copy without {@code column}. */
    public Row without(String column) {
        if (!values.containsKey(column)) {
            return this;
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
        copy.remove(column);
        return new Row(Collections.unmodifiableMap(copy));
    }

    /** Rows are equal when they hold the same columns with equal values ({@code byte[]} by content). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Row that) || that.values.size() != values.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!that.values.containsKey(e.getKey()) || !Values.same(e.getValue(), that.values.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h += e.getKey().hashCode() ^ Values.hash(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(Values.render(v));
        });
        return sb.append('}').toString();
    }
}
