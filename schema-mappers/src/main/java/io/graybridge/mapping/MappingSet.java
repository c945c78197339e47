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

    /**
     * Every mapping whose table on {@code side} is {@code table}, in file order: one for a plain table,
     * one per part when the table is split (or merged) into several tables on the other side (see
     * {@link TableGroup}); empty when none.
     */
    public List<TableMapping> forTableAll(Side side, String table) {
        return tables.stream().filter(t -> t.table(side).equals(table)).toList();
    }

    /** The split or merge {@code mapping} is a part of, if any. */
    public static Optional<TableGroup> group(TableMapping mapping) {
        return mapping.forward() instanceof TableGroup.Member m ? Optional.ofNullable(m.group()) : Optional.empty();
    }

    /** Every split and merge of this set, in file order. */
    public List<TableGroup> groups() {
        return tables.stream().map(MappingSet::group).flatMap(Optional::stream).distinct().toList();
    }
}
