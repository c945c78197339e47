package io.graybridge.bridge.lane;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingSet;
import io.graybridge.mapping.TableGroup;
import io.graybridge.mapping.TableMapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The map stage for one source table of a lane: a plain table has one mapping; a table split into (or
 * merged from) several tables on the other side has one per part, and the lane applies
 * {@link TableGroup}'s semantics:
 * <ul>
 *   <li>whole table to its parts: an insert or update becomes one per part, in part order (the delete
 *       owner first); a delete deletes every part's row, the owner last; a key change deletes every part's
 *       old row (owner last), then inserts the new ones (owner first);</li>
 *   <li>the part that owns deletes to the whole table: as a plain table (its delete deletes the whole row,
 *       its key change moves the columns it carries; the other parts' columns follow with their own key
 *       changes, e.g. from a foreign key with {@code ON UPDATE CASCADE});</li>
 *   <li>another part to the whole table: its row appearing or disappearing sets or clears the columns it
 *       carries ({@link ChangeTranslator#translatePartColumns}).</li>
 * </ul>
 */
final class SourceTableMapping {
    private enum Role {
        PLAIN,
        WHOLE_TO_PARTS,
        OWNER_PART,
        OTHER_PART
    }

    private final List<ChangeTranslator> parts;
    private final Role role;

    private SourceTableMapping(List<ChangeTranslator> parts, Role role) {
        this.parts = List.copyOf(parts);
        this.role = role;
    }

    /**
     * @param mappings every mapping of one source table (one, or one per part)
     * @param targetTables the target side's tables by name
     */
    static SourceTableMapping of(List<TableMapping> mappings, Direction direction, Map<String, TableInfo> targetTables) {
        return of(mappings, direction, targetTables, null);
    }

    /**
     * @param targetDialect the target's engine: translated values take the form of their target column there
     *     ({@link io.graybridge.bridge.apply.TargetValues}); {@code null}: left as translated
     */
    static SourceTableMapping of(List<TableMapping> mappings, Direction direction, Map<String, TableInfo> targetTables,
            io.graybridge.bridge.db.Dialect targetDialect) {
        TableGroup group = MappingSet.group(mappings.get(0)).orElse(null);
        if (group == null) {
            TableMapping m = mappings.get(0);
            return new SourceTableMapping(List.of(new ChangeTranslator(m, direction, targetTables.get(m.table(direction.target())), targetDialect)),
                    Role.PLAIN);
        }
        List<TableMapping> ordered = new ArrayList<>(mappings);
        ordered.sort(Comparator.comparingInt(m -> group.partTables().indexOf(m.table(group.partsSide()))));
        List<ChangeTranslator> parts = ordered.stream()
                .map(m -> new ChangeTranslator(m, direction, targetTables.get(m.table(direction.target())), targetDialect))
                .toList();
        if (direction.source() == group.wholeSide()) {
            return new SourceTableMapping(parts, Role.WHOLE_TO_PARTS);
        }
        boolean owner = group.ownsDeletes(ordered.get(0).table(group.partsSide()));
        return new SourceTableMapping(parts, owner ? Role.OWNER_PART : Role.OTHER_PART);
    }

    List<TargetChange> translate(SourceChange change) {
        switch (role) {
            case PLAIN:
            case OWNER_PART:
                return parts.get(0).translate(change);
            case OTHER_PART:
                return parts.get(0).translatePartColumns(change);
            default:
                break;
        }
        List<List<TargetChange>> perPart = new ArrayList<>(parts.size());
        for (ChangeTranslator part : parts) {
            perPart.add(part.translate(change));
        }
        List<TargetChange> out = new ArrayList<>();
        for (int i = perPart.size() - 1; i >= 0; i--) {
            perPart.get(i).stream().filter(c -> c.op() == TargetChange.Op.DELETE).forEach(out::add);
        }
        for (List<TargetChange> changes : perPart) {
            changes.stream().filter(c -> c.op() != TargetChange.Op.DELETE).forEach(out::add);
        }
        return out;
    }
}
