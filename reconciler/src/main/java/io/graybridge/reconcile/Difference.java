package io.graybridge.reconcile;

import io.graybridge.mapping.Row;
import java.util.List;
import java.util.Objects;

/**
 * One key whose rows differ between the sides after translating v1 forward.
 *
 * @param kind what differs
 * @param key the key, in v2 column names
 * @param v1Row the v1 row as read, {@code null} when v1 has no row for the key
 * @param expected the v1 row translated forward (what v2 should hold), {@code null} when v1 has none
 * @param v2Row the v2 row as read (only the compared columns), {@code null} when v2 has no row for the key
 * @param columns for {@link Kind#MISMATCHED}, the v2 columns whose values differ; otherwise empty
 */
public record Difference(Kind kind, Row key, Row v1Row, Row expected, Row v2Row, List<String> columns) {

    public Difference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        columns = List.copyOf(columns);
    }

    public enum Kind {
        /** v1 has the key, v2 does not. */
        MISSING_ON_V2,
        /** v2 has the key, v1 does not. */
        EXTRA_ON_V2,
        /** Both have the key; at least one column differs. */
        MISMATCHED
    }

    /** One line for logs and the demo: {@code mismatch at {id=5}: balance v1->v2 1.00 vs v2 2.00}. */
    public String describe() {
        return switch (kind) {
            case MISSING_ON_V2 -> "missing on v2: " + key;
            case EXTRA_ON_V2 -> "extra on v2: " + key;
            case MISMATCHED -> "mismatch at " + key + ": " + String.join("; ", columns.stream()
                    .map(c -> c + " v1->v2 " + io.graybridge.mapping.Values.render(expected.get(c)) + " vs v2 "
                            + io.graybridge.mapping.Values.render(v2Row.get(c)))
                    .toList());
        };
    }
}
