package io.graybridge.bridge.apply;

import io.graybridge.mapping.Row;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Changes and rows of one key (id 1, columns a and b) for the tests of {@link RowDecision}'s knowledge rules. */
final class DecisionRows {
    static final List<String> COLUMNS = List.of("a", "b");

    private DecisionRows() {}

    static TargetChange update(Row before, Row after) {
        List<String> changed = COLUMNS.stream().filter(c -> !before.get(c).equals(after.get(c))).toList();
        return new TargetChange("t", TargetChange.Op.UPDATE, key(), before, after, COLUMNS, changed, Instant.EPOCH, "0/1");
    }

    static TargetChange delete(Row before) {
        return new TargetChange("t", TargetChange.Op.DELETE, key(), before, null, COLUMNS, COLUMNS, Instant.EPOCH, "0/1");
    }

    static TargetChange insert(Row after) {
        return new TargetChange("t", TargetChange.Op.INSERT, key(), null, after, COLUMNS, COLUMNS, Instant.EPOCH, "0/1");
    }

    static Row key() {
        return Row.of(Map.of("id", 1L));
    }

    static Row row(String a, String b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 1L);
        m.put("a", a);
        m.put("b", b);
        return Row.of(m);
    }
}
