package io.graybridge.mapping.yaml;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies a {@link ColumnPlan} in one direction. Immutable and thread-safe; see {@link MappingFiles} for
 * the rules' meaning.
 *
 * <p>Source columns are visited in row order: a column no rule consumes passes through (unless the plan is
 * a table part), a column a rule consumes triggers that rule once. Rules that consume nothing present in
 * the row (computed columns) run after, then fallbacks (defaults) fill target columns still missing.
 */
final class DeclarativeTranslator implements DescribedTranslator, TableGroup.Member {
    /** One rule in this direction; {@code index} is its place in {@link #steps} (rows mark done steps by it). */
    private record Step(int index, ColumnRule rule, String[] reads, String[] writes, boolean fallback) {}

    private final ColumnPlan plan;
    private final Direction direction;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Step> consumedBy = new HashMap<>();
    private final List<String> key;

    DeclarativeTranslator(ColumnPlan plan, Direction direction) {
        this.plan = plan;
        this.direction = direction;
        for (ColumnRule rule : plan.rules()) {
            ColumnLogic logic = rule.logic();
            Step step = new Step(steps.size(), rule, logic.reads(direction).toArray(String[]::new),
                    logic.writes(direction).toArray(String[]::new), logic.fallback(direction));
            steps.add(step);
            for (String c : logic.consumes(direction)) {
                consumedBy.put(c, step);
            }
        }
        this.key = plan.key(direction.source());
    }

    @Override
    public ColumnPlan plan() {
        return plan;
    }

    @Override
    public TableGroup group() {
        return plan.group();
    }

    @Override
    public Row translate(Row source) {
        Row.Builder out = Row.builder();
        boolean[] done = new boolean[steps.size()];
        for (Map.Entry<String, Object> e : source.asMap().entrySet()) {
            String column = e.getKey();
            Step step = consumedBy.get(column);
            if (step == null) {
                if (plan.passThrough()) {
                    put(out, source, column, e.getValue());
                }
            } else if (!step.fallback() && !done[step.index()]) {
                done[step.index()] = true;
                run(step, source, out);
            }
        }
        for (Step step : steps) {
            if (!step.fallback() && !done[step.index()]) {
                run(step, source, out);
            }
        }
        for (Step step : steps) {
            if (step.fallback() && step.writes().length > 0) {
                Object[] values = step.rule().logic().apply(direction, new Object[0]);
                for (int i = 0; i < values.length; i++) {
                    out.putIfAbsent(step.writes()[i], values[i]);
                }
            }
        }
        return out.build();
    }

    private void run(Step step, Row source, Row.Builder out) {
        if (step.writes().length == 0) {
            return;
        }
        Object[] in = new Object[step.reads().length];
        for (int i = 0; i < in.length; i++) {
            String c = step.reads()[i];
            if (!source.has(c)) {
                return; // unknown input: the outputs stay absent, the target keeps its values
            }
            in[i] = source.get(c);
        }
        Object[] values;
        try {
            values = step.rule().logic().apply(direction, in);
        } catch (IllegalArgumentException | ArithmeticException | ClassCastException e) {
            throw new MappingException(where() + ", column " + String.join(", ", step.reads()) + " -> "
                    + String.join(", ", step.writes()) + " (" + label(step.rule()) + ", "
                    + direction.name().toLowerCase(Locale.ROOT) + "): cannot translate " + render(in) + ": "
                    + e.getMessage() + keyOf(source) + " [rule at " + step.rule().origin() + "]", e);
        }
        for (int i = 0; i < values.length; i++) {
            put(out, source, step.writes()[i], values[i]);
        }
    }

    private void put(Row.Builder out, Row source, String target, Object value) {
        if (out.has(target)) {
            throw new MappingException(where() + ": columns '" + producers(source, target).get(0) + "' and '"
                    + producers(source, target).get(1) + "' both map to " + direction.target().id() + " column '"
                    + target + "'; give one of them a rule in the mapping");
        }
        out.put(target, value);
    }

    /**
     * The source columns that produce {@code target}, in the order {@link #translate} visits them (a rule is
     * named by the first column it reads, or "(computed)"); only for the message of a collision.
     */
    private List<String> producers(Row source, String target) {
        List<String> found = new ArrayList<>();
        boolean[] done = new boolean[steps.size()];
        for (String column : source.columns()) {
            Step step = consumedBy.get(column);
            if (step == null) {
                if (plan.passThrough() && column.equals(target)) {
                    found.add(column);
                }
            } else if (!step.fallback() && !done[step.index()]) {
                done[step.index()] = true;
                addIfWrites(step, source, target, found);
            }
        }
        for (Step step : steps) {
            if (!step.fallback() && !done[step.index()]) {
                addIfWrites(step, source, target, found);
            }
        }
        while (found.size() < 2) {
            found.add("?");
        }
        return found;
    }

    private static void addIfWrites(Step step, Row source, String target, List<String> found) {
        if (Arrays.asList(step.writes()).contains(target) && Arrays.stream(step.reads()).allMatch(source::has)) {
            found.add(step.reads().length > 0 ? step.reads()[0] : "(computed)");
        }
    }

    private static String label(ColumnRule rule) {
        return rule.conversion() != null ? rule.conversion().name() : rule.logic().describe();
    }

    private static String render(Object[] values) {
        if (values.length == 1) {
            return Values.render(values[0]);
        }
        List<String> parts = new ArrayList<>();
        for (Object v : values) {
            parts.add(Values.render(v));
        }
        return "(" + String.join(", ", parts) + ")";
    }

    private String keyOf(Row source) {
        if (key.isEmpty() || !key.stream().allMatch(source::has)) {
            return "";
        }
        return " [key " + key.stream().map(k -> k + "=" + Values.render(source.get(k))).collect(Collectors.joining(", ")) + "]";
    }

    private String where() {
        return "table " + plan.table(direction.source()) + " -> " + plan.table(direction.target());
    }

    @Override
    public String toString() {
        return direction.laneName() + " mapping of " + plan.mapping();
    }
}
