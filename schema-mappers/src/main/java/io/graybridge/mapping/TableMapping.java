package io.graybridge.mapping;

import java.util.Objects;

/**
 * The mapping of one v1 table to one v2 table, with a translator for each direction.
 *
 * @param name a name for reports and errors, unique in its {@link MappingSet}
 * @param v1Table the table's name on the v1 side (unqualified; the side's schema comes from config)
 * @param v2Table the table's name on the v2 side
 * @param forward v1 row to v2 row
 * @param backward v2 row to v1 row
 * @param origin where the mapping was declared (file and line), for error messages
 */
public record TableMapping(
        String name, String v1Table, String v2Table, RowTranslator forward, RowTranslator backward, String origin) {

    public TableMapping {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(v1Table, "v1Table");
        Objects.requireNonNull(v2Table, "v2Table");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        Objects.requireNonNull(origin, "origin");
    }

    public String table(Side side) {
        return side == Side.V1 ? v1Table : v2Table;
    }

    public RowTranslator translator(Direction direction) {
        return direction == Direction.FORWARD ? forward : backward;
    }

    /** Translates {@code row} in {@code direction}; a {@code null} row stays {@code null}. */
    public Row translate(Direction direction, Row row) {
        return row == null ? null : translator(direction).translate(row);
    }
}
