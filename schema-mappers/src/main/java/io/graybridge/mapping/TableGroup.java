package io.graybridge.mapping;

import java.util.List;
import java.util.Objects;

/**
 * A table split or merge: one table on one side ({@link #wholeSide()}) that is several tables on the
 * other, all sharing the whole table's key. Each part is a {@link TableMapping} of its own (the whole
 * table on one side, one part table on the other) whose translators project only the part's columns:
 * a translated row is partial, and an absent column means "leave it as it is" (see {@link RowTranslator}).
 * {@link MappingSet#forTableAll} gives every part of a table; {@link MappingSet#group} the group a
 * mapping belongs to.
 *
 * <p>Semantics a lane must implement (the lane integration is not built yet; today's lane maps a table
 * through its first mapping only, see ARCHITECTURE.md "Mapping language"):
 * <ul>
 *   <li><b>insert / update of the whole table</b>: every part gets an upsert of its projection, in part
 *       order (the delete owner first, so a part table with a foreign key to the owner finds its row).</li>
 *   <li><b>delete of the whole row</b>: every part's row with that key is deleted, in reverse part order
 *       (the owner last).</li>
 *   <li><b>insert / update of a part row</b> (the other direction): an upsert of the whole row's columns
 *       that the part carries; the other columns of the whole row are left untouched.</li>
 *   <li><b>delete of a part row</b>: when the part {@link #ownsDeletes owns deletes}, the whole row is
 *       deleted; otherwise the whole row stays and the columns the part carries are set to NULL
 *       (the part's "row" no longer exists).</li>
 *   <li><b>key change</b> (the translated before and after keys differ): on the whole table, every part
 *       gets a delete of the old key then an upsert of the new row (in the orders above); on the
 *       owner part, the whole row's key changes (delete old, upsert new whole row); a key change of a
 *       non-owner part is a delete (its columns set to NULL under the old key) then an upsert under the
 *       new key.</li>
 * </ul>
 *
 * @param name the group's name (the whole table's), for reports
 * @param kind split (the whole table is on v1) or merge (on v2)
 * @param wholeSide the side where it is one table
 * @param wholeTable that table
 * @param key the whole table's key columns, in its own names; every part maps each of them
 * @param partTables the part tables on the other side, in part order (the delete owner first)
 * @param deleteOwner the part whose delete deletes the whole row
 * @param origin file and line of the declaration
 */
public record TableGroup(
        String name, Kind kind, Side wholeSide, String wholeTable, List<String> key, List<String> partTables,
        String deleteOwner, String origin) {

    public TableGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(wholeSide, "wholeSide");
        Objects.requireNonNull(wholeTable, "wholeTable");
        key = List.copyOf(key);
        partTables = List.copyOf(partTables);
        Objects.requireNonNull(deleteOwner, "deleteOwner");
        Objects.requireNonNull(origin, "origin");
    }

    public enum Kind {
        /** One v1 table is several v2 tables. */
        SPLIT,
        /** Several v1 tables are one v2 table. */
        MERGE
    }

    /** The side where the group is several tables. */
    public Side partsSide() {
        return wholeSide.other();
    }

    /** Whether a delete of {@code partTable}'s row deletes the whole row. */
    public boolean ownsDeletes(String partTable) {
        return deleteOwner.equals(partTable);
    }

    /** Implemented by the translators of a group's parts, so {@link MappingSet#group} can find the group. */
    public interface Member {
        /** The group, or {@code null} when the mapping is not part of one. */
        TableGroup group();
    }
}
