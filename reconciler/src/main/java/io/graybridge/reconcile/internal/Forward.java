package io.graybridge.reconcile.internal;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.ColumnLogic;
import io.graybridge.mapping.yaml.ColumnPlan;
import io.graybridge.mapping.yaml.ColumnRule;
import io.graybridge.mapping.yaml.MappingDescriptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward translation of v1 rows read as value arrays ({@link KeyedTable#readValues}) into the v2 values
 * the merge join compares, without building a map per row where the mapping allows it.
 *
 * <p>A declarative mapping whose rules are only renames, conversions and value maps of one column to one
 * column, defaults and drops (and pass-through of every other column) translates each v1 column on its own,
 * so its translation is compiled once per table into a program over column positions: copy column i, apply
 * rule r to column i, or the default's constant. It gives the same columns in the same order with the same
 * values as {@link TableMapping#translate} (which {@code DeclarativeTranslator} implements), checked on the
 * first row of every comparison; a value a rule rejects is translated again through the mapping, so the
 * error is the mapping's own. Every other mapping (splits, merges, JSON, computed columns, hand-written
 * translators) goes through {@link TableMapping#translate} with a {@link Row} built from the array.
 */
final class Forward {
    /** One translated v1 row: the v2 column names in the translation's order and their values. */
    record Translated(String[] names, Object[] values, Row row) {}

    private final TableMapping mapping;
    private final KeyedTable v1;
    /** The compiled program, or null when the mapping needs the general path. */
    private Program program;
    private boolean checked;

    /** Output j is {@code source[j] < 0 ? constant[j] : rule[j] == null ? v1[source[j]] : rule[j](v1[source[j]])}. */
    private record Program(String[] names, int[] source, ColumnLogic[] rule, Object[] constant) {}

    Forward(TableMapping mapping, KeyedTable v1) {
        this.mapping = mapping;
        this.v1 = v1;
        this.program = compile(mapping, v1);
    }

    /** Whether rows are translated by the compiled program (for tests and notes). */
    boolean compiled() {
        return program != null;
    }

    /**
     * Translates {@code raw} (v1 values by selected position); throws what {@link TableMapping#translate} throws.
     */
    Translated translate(Object[] raw) {
        Program p = program;
        if (p != null) {
            Object[] out = new Object[p.names.length];
            try {
                for (int j = 0; j < out.length; j++) {
                    int s = p.source[j];
                    ColumnLogic r = p.rule[j];
                    out[j] = s < 0 ? p.constant[j] : r == null ? raw[s] : r.apply(Direction.FORWARD, new Object[] {raw[s]})[0];
                }
            } catch (RuntimeException e) {
                return general(raw); // the mapping says why (or translates it after all)
            }
            Translated t = new Translated(p.names, out, null);
            if (!checked) {
                checked = true;
                Translated g = general(raw);
                if (!sameTranslation(t, g)) {
                    program = null; // never expected: the general path is the reference
                    return g;
                }
            }
            return t;
        }
        return general(raw);
    }

    private Translated general(Object[] raw) {
        Row out = mapping.translate(Direction.FORWARD, v1.rowOf(raw));
        String[] names = out.columns().toArray(new String[0]);
        Object[] values = new Object[names.length];
        for (int j = 0; j < names.length; j++) {
            values[j] = out.get(names[j]);
        }
        return new Translated(names, values, out);
    }

    private static boolean sameTranslation(Translated a, Translated b) {
        if (!java.util.Arrays.equals(a.names, b.names)) {
            return false;
        }
        for (int j = 0; j < a.values.length; j++) {
            Object x = a.values[j];
            Object y = b.values[j];
            if (!(x == null ? y == null : y != null && x.getClass() == y.getClass() && Values.same(x, y))) {
                return false;
            }
        }
        return true;
    }

    /** The translated row as a {@link Row} (for reports). */
    static Row row(Translated t) {
        if (t.row != null) {
            return t.row;
        }
        Row.Builder b = Row.builder();
        for (int j = 0; j < t.names.length; j++) {
            b.put(t.names[j], t.values[j]);
        }
        return b.build();
    }

    /**
     * The program that does what {@code DeclarativeTranslator.translate} does for rows with exactly {@code v1}'s
     * selected columns, or null when a rule is of another kind or the plan is unusual (then the general path
     * runs, and reports any error of the mapping itself).
     */
    static Program compile(TableMapping mapping, KeyedTable v1) {
        if (!mapping.forward().getClass().getName().equals("io.graybridge.mapping.yaml.DeclarativeTranslator")) {
            return null; // hand-written translators: only they know what they do
        }
        ColumnPlan plan = MappingDescriptions.plan(mapping).orElse(null);
        if (plan == null) {
            return null;
        }
        Direction fw = Direction.FORWARD;
        Map<String, ColumnRule> consumedBy = new HashMap<>();
        List<ColumnRule> fallbacks = new ArrayList<>();
        for (ColumnRule rule : plan.rules()) {
            ColumnLogic logic = rule.logic();
            boolean fallback = logic.fallback(fw);
            if (fallback) {
                if (rule.kind() != ColumnRule.Kind.DEFAULT && rule.kind() != ColumnRule.Kind.DROP || !logic.reads(fw).isEmpty()) {
                    return null;
                }
                fallbacks.add(rule);
            } else {
                boolean oneToOne = rule.kind() == ColumnRule.Kind.RENAME || rule.kind() == ColumnRule.Kind.CONVERT
                        || rule.kind() == ColumnRule.Kind.VALUE_MAP;
                if (!oneToOne || logic.reads(fw).size() != 1 || logic.writes(fw).size() != 1
                        || !logic.consumes(fw).equals(logic.reads(fw))) {
                    return null;
                }
            }
            for (String c : logic.consumes(fw)) {
                if (consumedBy.put(c, rule) != null) {
                    return null; // two rules on one column: the general path's business
                }
            }
        }
        String[] v1Names = v1.selectedNames();
        if (new HashSet<>(List.of(v1Names)).size() != v1Names.length) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Integer> source = new ArrayList<>();
        List<ColumnLogic> rule = new ArrayList<>();
        List<Object> constant = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < v1Names.length; i++) {
            ColumnRule r = consumedBy.get(v1Names[i]);
            String target;
            ColumnLogic logic = null;
            if (r == null) {
                if (!plan.passThrough()) {
                    continue;
                }
                target = v1Names[i];
            } else if (r.logic().fallback(fw)) {
                continue; // a dropped column: its fallback writes nothing forward
            } else {
                target = r.logic().writes(fw).get(0);
                logic = r.logic();
            }
            if (!written.add(target)) {
                return null; // two columns onto one: the general path reports the collision
            }
            names.add(target);
            source.add(i);
            rule.add(logic);
            constant.add(null);
        }
        for (ColumnRule r : fallbacks) {
            List<String> writes = r.logic().writes(fw);
            if (writes.isEmpty()) {
                continue;
            }
            Object[] values = r.logic().apply(fw, new Object[0]);
            for (int k = 0; k < values.length; k++) {
                if (written.add(writes.get(k))) {
                    names.add(writes.get(k));
                    source.add(-1);
                    rule.add(null);
                    constant.add(values[k]);
                }
            }
        }
        return new Program(names.toArray(new String[0]), source.stream().mapToInt(Integer::intValue).toArray(),
                rule.toArray(new ColumnLogic[0]), constant.toArray());
    }
}
