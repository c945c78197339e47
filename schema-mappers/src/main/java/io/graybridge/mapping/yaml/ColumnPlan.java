package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.yaml.ColumnRule.Kind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a declarative table mapping expects of the two schemas, so a validator can check it against the
 * live tables before anything runs.
 *
 * <p>The rules name some columns; every other column of a source row passes through to the target under
 * the same name ({@link #passThrough()}), so a validator must also check that each unnamed column of the
 * v1 table exists in the v2 table and the other way round.
 *
 * @param mapping the {@link io.graybridge.mapping.TableMapping#name()}
 * @param v1Table the v1 table
 * @param v2Table the v2 table
 * @param rules the column rules in file order (empty for an identity mapping)
 * @param passThrough whether columns no rule names pass through under the same name (false for the parts
 *     of a table split or merge, which carry only the columns their rules name, plus the key)
 * @param key the v1 key columns as the file declares them ({@code key:}), for error messages and
 *     table groups; empty when not declared
 * @param group the split or merge this mapping is a part of, or {@code null}
 */
public record ColumnPlan(
        String mapping, String v1Table, String v2Table, List<ColumnRule> rules, boolean passThrough, List<String> key,
        TableGroup group) {

    public ColumnPlan {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(v1Table, "v1Table");
        Objects.requireNonNull(v2Table, "v2Table");
        rules = List.copyOf(rules);
        key = List.copyOf(key);
    }

    /** A plan with no declared key, not part of a group. */
    public ColumnPlan(String mapping, String v1Table, String v2Table, List<ColumnRule> rules, boolean passThrough) {
        this(mapping, v1Table, v2Table, rules, passThrough, List.of(), null);
    }

    /** The declared key columns in {@code side}'s names (v2 names through the rules). */
    public List<String> key(Side side) {
        return side == Side.V1 ? key : key.stream().map(k -> target(Direction.FORWARD, k).orElse(k)).toList();
    }

    public String table(Side side) {
        return side == Side.V1 ? v1Table : v2Table;
    }

    /** The columns the rules name on {@code side}; each must exist in that side's table. */
    public Set<String> declared(Side side) {
        Set<String> columns = new LinkedHashSet<>();
        for (ColumnRule rule : rules) {
            columns.addAll(rule.columns(side));
        }
        return Collections.unmodifiableSet(columns);
    }

    /**
     * The source-side columns the {@code direction}'s translator reads by name (including the ones it
     * drops: a v1-only column forward, a defaulted v2-only column backward).
     */
    public Set<String> reads(Direction direction) {
        Set<String> columns = new LinkedHashSet<>(declared(direction.source()));
        for (ColumnRule rule : rules) {
            columns.addAll(rule.logic().reads(direction));
        }
        return Collections.unmodifiableSet(columns);
    }

    /** The target-side columns the rules of {@code direction} write (renamed, converted, defaulted). */
    public Set<String> writes(Direction direction) {
        Set<String> columns = new LinkedHashSet<>();
        for (ColumnRule rule : rules) {
            columns.addAll(rule.logic().writes(direction));
        }
        return Collections.unmodifiableSet(columns);
    }

    /**
     * The v2 columns that only exist on v2, with the value the forward translator gives them. A writer
     * that wants to keep a value set on v2 may write these on insert only (see {@link MappingFiles}).
     */
    public Map<String, Object> defaults() {
        return defaults(Direction.FORWARD);
    }

    /**
     * The target columns {@code direction} fills with a declared default only (forward: v2-only columns;
     * backward: v1-only columns dropped on v2 that declare a default), with their values.
     */
    public Map<String, Object> defaults(Direction direction) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ColumnRule rule : rules) {
            if (rule.logic().fallback(direction) && !rule.logic().writes(direction).isEmpty()) {
                defaults.put(rule.logic().writes(direction).get(0), rule.defaultValue());
            }
        }
        return Collections.unmodifiableMap(defaults);
    }

    /** The rules that cannot be inverted (one-way computed columns, value maps with an unmapped default). */
    public List<ColumnRule> oneWay() {
        return rules.stream().filter(r -> !r.logic().invertible()).toList();
    }

    /**
     * Where a source column lands on the target in {@code direction}: the rule's column, the same name when
     * no rule names it (and the plan passes columns through), empty when it is dropped or becomes something
     * other than one column (split, merged, packed, computed).
     */
    public Optional<String> target(Direction direction, String sourceColumn) {
        for (ColumnRule rule : rules) {
            if (rule.logic().consumes(direction).contains(sourceColumn)) {
                boolean oneToOne = rule.kind() == Kind.RENAME || rule.kind() == Kind.CONVERT || rule.kind() == Kind.VALUE_MAP;
                return Optional.ofNullable(oneToOne ? rule.column(direction.target()) : null);
            }
        }
        return passThrough ? Optional.of(sourceColumn) : Optional.empty();
    }
}
