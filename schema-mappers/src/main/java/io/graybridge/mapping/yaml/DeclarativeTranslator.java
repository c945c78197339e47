package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.ColumnRule.Kind;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Applies a {@link ColumnPlan} in one direction. Immutable and thread-safe; see {@link MappingFiles} for
 * the rules' meaning.
 */
final class DeclarativeTranslator implements DescribedTranslator {
    /** What happens to a source column that a rule names; unnamed columns pass through. */
    private record Action(String target, ColumnRule rule) {}

    private final ColumnPlan plan;
    private final Direction direction;
    private final Map<String, Action> actions = new HashMap<>();
    private final Map<String, Object> defaults;

    DeclarativeTranslator(ColumnPlan plan, Direction direction) {
        this.plan = plan;
        this.direction = direction;
        for (ColumnRule rule : plan.rules()) {
            String source = rule.column(direction.source());
            if (source != null) {
                boolean kept = rule.kind() == Kind.RENAME || rule.kind() == Kind.CONVERT;
                actions.put(source, new Action(kept ? rule.column(direction.target()) : null, rule));
            }
        }
        defaults = direction == Direction.FORWARD ? plan.defaults() : Map.of();
    }

    @Override
    public ColumnPlan plan() {
        return plan;
    }

    @Override
    public Row translate(Row source) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> producedBy = new HashMap<>();
        for (Map.Entry<String, Object> e : source.asMap().entrySet()) {
            String column = e.getKey();
            Action action = actions.get(column);
            String target = action == null ? column : action.target();
            if (target == null) {
                continue; // dropped
            }
            Object value = e.getValue();
            if (action != null && action.rule().kind() == Kind.CONVERT) {
                value = convert(action.rule(), column, target, value);
            }
            String earlier = producedBy.putIfAbsent(target, column);
            if (earlier != null) {
                throw new MappingException(where() + ": columns '" + earlier + "' and '" + column + "' both map to "
                        + direction.target().id() + " column '" + target + "'; give one of them a rule in the mapping");
            }
            out.put(target, value);
        }
        defaults.forEach(out::putIfAbsent);
        return Row.of(out);
    }

    private Object convert(ColumnRule rule, String from, String to, Object value) {
        try {
            return direction == Direction.FORWARD ? rule.conversion().forward(value) : rule.conversion().backward(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new MappingException(where() + ", column " + from + " -> " + to + " (" + rule.conversion().name()
                    + ", " + direction.name().toLowerCase(Locale.ROOT) + "): cannot convert "
                    + Values.render(value) + ": " + e.getMessage() + " [rule at " + rule.origin() + "]", e);
        }
    }

    private String where() {
        return "table " + plan.table(direction.source()) + " -> " + plan.table(direction.target());
    }

    @Override
    public String toString() {
        return direction.laneName() + " mapping of " + plan.mapping();
    }
}
