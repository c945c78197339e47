package io.graybridge.mapping.roundtrip;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.ColumnRule;
import io.graybridge.mapping.yaml.MappingDescriptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates a row to the other side and back, and says which of its columns did not come back.
 *
 * <p>A column that is absent after the round trip is not a loss: the mapping does not carry it (a v1-only
 * column, a v2-only column), so the writer leaves it as it is on its own side; it is reported as
 * {@link Outcome#notCarried()}. So is a column the way back fills only with a declared default (the writer
 * sets those on insert only). A column the way back writes through a one-way rule (a computed column
 * without an inverse) is reported as {@link Outcome#oneWay()}: declared, not a loss. Any other column that
 * comes back with another value, or whose translation fails either way, is a {@link Loss}.
 */
public final class RoundTrip {
    private RoundTrip() {}

    /**
     * A column that cannot round-trip.
     *
     * @param column the column of the starting side
     * @param value its value in the starting row
     * @param cameBack what came back, or {@code null} when the translation failed
     * @param error the translation's failure, or {@code null} when a value came back
     */
    public record Loss(String column, Object value, Object cameBack, String error) {
        /** {@code 'Ada ' came back as 'Ada'}, or {@code 'X': <error>}. */
        public String describe() {
            return error != null ? Values.render(value) + ": " + error
                    : Values.render(value) + " came back as " + Values.render(cameBack);
        }
    }

    /** What one row's round trip showed. */
    public record Outcome(List<Loss> losses, Set<String> notCarried, Set<String> oneWay) {
        public Outcome {
            losses = List.copyOf(losses);
            notCarried = Set.copyOf(notCarried);
            oneWay = Set.copyOf(oneWay);
        }

        public boolean clean() {
            return losses.isEmpty();
        }
    }

    /**
     * Round-trips {@code row}, which lives on {@code first.source()}, through {@code mapping}: {@code first},
     * then back.
     */
    public static Outcome of(TableMapping mapping, Direction first, Row row) {
        Row there;
        Row back;
        try {
            there = mapping.translate(first, row);
            back = mapping.translate(first.reverse(), there);
        } catch (RuntimeException e) {
            // the failing columns are losses; the rest of the row still gets its round trip
            List<Loss> failed = culprits(mapping, first, row, e.getMessage());
            Row rest = row;
            for (Loss loss : failed) {
                rest = rest.without(loss.column());
            }
            if (rest.size() == row.size() || rest.size() == 0) {
                return new Outcome(failed, Set.of(), Set.of());
            }
            Outcome others = of(mapping, first, rest);
            List<Loss> all = new ArrayList<>(failed);
            all.addAll(others.losses());
            return new Outcome(all, others.notCarried(), others.oneWay());
        }
        Direction returning = first.reverse();
        Set<String> defaultsBack = new LinkedHashSet<>();
        Set<String> oneWayBack = new LinkedHashSet<>();
        MappingDescriptions.plan(mapping).ifPresent(plan -> {
            defaultsBack.addAll(plan.defaults(returning).keySet());
            for (ColumnRule rule : plan.oneWay()) {
                oneWayBack.addAll(rule.logic().writes(returning));
            }
        });
        List<Loss> losses = new ArrayList<>();
        Set<String> notCarried = new LinkedHashSet<>();
        Set<String> oneWay = new LinkedHashSet<>();
        for (String column : row.columns()) {
            if (!back.has(column) || defaultsBack.contains(column)) {
                notCarried.add(column);
            } else if (oneWayBack.contains(column)) {
                oneWay.add(column);
            } else if (!Values.same(row.get(column), back.get(column))) {
                losses.add(new Loss(column, row.get(column), back.get(column), null));
            }
        }
        return new Outcome(losses, notCarried, oneWay);
    }

    /**
     * The columns that fail on their own (each alone in a row), else the columns whose removal lets the
     * round trip through, each with its failure.
     */
    private static List<Loss> culprits(TableMapping mapping, Direction first, Row row, String error) {
        List<Loss> losses = new ArrayList<>();
        for (String column : row.columns()) {
            Row alone = Row.of(java.util.Collections.singletonMap(column, row.get(column)));
            try {
                mapping.translate(first.reverse(), mapping.translate(first, alone));
            } catch (RuntimeException e) {
                losses.add(new Loss(column, row.get(column), null, e.getMessage()));
            }
        }
        if (!losses.isEmpty()) {
            return losses;
        }
        for (String column : row.columns()) {
            try {
                mapping.translate(first.reverse(), mapping.translate(first, row.without(column)));
                losses.add(new Loss(column, row.get(column), null, error));
            } catch (RuntimeException stillFails) {
                // not this column alone
            }
        }
        if (losses.isEmpty()) {
            losses.add(new Loss("(row)", row, null, error));
        }
        return losses;
    }
}
