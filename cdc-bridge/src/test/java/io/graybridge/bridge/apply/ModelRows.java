package io.graybridge.bridge.apply;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.util.LinkedHashMap;
import java.util.Map;

/** The rows and sides of the convergence models ({@link DeleteConvergenceModelTest}, {@link LatestWinsReadAheadModelTest}). */
final class ModelRows {
    private ModelRows() {}

    /** Side 0 is v1, side 1 is v2. */
    static Side sideOf(int index) {
        return index == 0 ? Side.V1 : Side.V2;
    }

    static String name(int side) {
        return side == 0 ? "v1" : "v2";
    }

    static Row key(int key) {
        return Row.of(Map.of("id", (long) key));
    }

    /** A row of the models' table: key {@code id}, columns a, b, c. */
    static Row row(int key, Object a, Object b, Object c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", (long) key);
        m.put("a", a);
        m.put("b", b);
        m.put("c", c);
        return Row.of(m);
    }
}
