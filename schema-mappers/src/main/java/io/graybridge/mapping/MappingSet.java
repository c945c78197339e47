package io.graybridge.mapping;

import java.util.List;
import java.util.Optional;

/** Every table mapping of one bridge, looked up by either side's table name. */
public record MappingSet(List<TableMapping> tables) {

    public MappingSet {
        tables = List.copyOf(tables);
    }

    /** The mapping whose table on {@code side} is {@code table} (case-sensitive, unqualified). */
    public Optional<TableMapping> forTable(Side side, String table) {
        return tables.stream().filter(t -> t.table(side).equals(table)).findFirst();
    }

    public Optional<TableMapping> named(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
