package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
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
 * @param passThrough whether columns no rule names pass through under the same name (always true today)
 */
public record ColumnPlan(String mapping, String v1Table, String v2Table, List<ColumnRule> rules, boolean passThrough) {

    public ColumnPlan {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(v1Table, "v1Table");
        Objects.requireNonNull(v2Table, "v2Table");
        rules = List.copyOf(rules);
    }

    public String table(Side side) {
        return side == Side.V1 ? v1Table : v2Table;
    }

    /** The columns the rules name on {@code side}; each must exist in that side's table. */
    public Set<String> declared(Side side) {
        Set<String> columns = new LinkedHashSet<>();
        for (ColumnRule rule : rules) {
            if (rule.column(side) != null) {
                columns.add(rule.column(side));
            }
        }
        return Collections.unmodifiableSet(columns);
    }

    /**
     * The source-side columns the {@code direction}'s translator reads by name (including the ones it
     * drops: a v1-only column forward, a defaulted v2-only column backward).
     */
    public Set<String> reads(Direction direction) {
        return declared(direction.source());
    }

    /** The target-side columns the rules of {@code direction} write (renamed, converted, defaulted). */
    public Set<String> writes(Direction direction) {
        Set<String> columns = new LinkedHashSet<>();
        for (ColumnRule rule : rules) {
            boolean writes = switch (rule.kind()) {
                case RENAME, CONVERT -> true;
                case DEFAULT -> direction == Direction.FORWARD;
                case DROP -> false;
            };
            if (writes) {
                columns.add(rule.column(direction.target()));
            }
        }
        return Collections.unmodifiableSet(columns);
    }

    /**
     * The v2 columns that only exist on v2, with the value the forward translator gives them. A writer
     * that wants to keep a value set on v2 may write these on insert only (see {@link MappingFiles}).
     */
    public Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ColumnRule rule : rules) {
            if (rule.kind() == Kind.DEFAULT) {
                defaults.put(rule.v2Column(), rule.defaultValue());
            }
        }
        return Collections.unmodifiableMap(defaults);
    }

    /**
     * Where a source column lands on the target in {@code direction}: the rule's column, the same name when
     * no rule names it, empty when it is dropped.
     */
    public Optional<String> target(Direction direction, String sourceColumn) {
        Side source = direction.source();
        for (ColumnRule rule : rules) {
            if (sourceColumn.equals(rule.column(source))) {
                return Optional.ofNullable(switch (rule.kind()) {
                    case RENAME, CONVERT -> rule.column(direction.target());
                    case DEFAULT, DROP -> null;
                });
            }
        }
        return passThrough ? Optional.of(sourceColumn) : Optional.empty();
    }
}
