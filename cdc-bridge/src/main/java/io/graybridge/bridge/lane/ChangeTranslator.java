package io.graybridge.bridge.lane;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.MappingDescriptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The map stage of a lane for one table: turns a captured change into the statements that reproduce
 * it on the target, through the table's mapping.
 *
 * <ul>
 *   <li>snapshot read or insert: upsert the translated row, overwriting every non-key column except the
 *       ones the mapping only fills with a default (a v2 value is never reset to the default);</li>
 *   <li>update: upsert the translated after image, overwriting only the target columns whose translated
 *       values changed, so an update that touched only unmapped columns changes nothing on the target;</li>
 *   <li>update that changes the key: delete the old key, then upsert the new row;</li>
 *   <li>delete: delete the translated key.</li>
 * </ul>
 */
final class ChangeTranslator {
    private final TableMapping mapping;
    private final Direction direction;
    private final TableInfo target;
    private final Set<String> insertOnly;

    ChangeTranslator(TableMapping mapping, Direction direction, TableInfo target) {
        this.mapping = mapping;
        this.direction = direction;
        this.target = target;
        this.insertOnly = direction == Direction.FORWARD
                ? MappingDescriptions.plan(mapping).map(p -> p.defaults().keySet()).orElse(Set.of())
                : Set.of();
    }

    List<TargetChange> translate(SourceChange change) {
        Row before = mapping.translate(direction, change.before());
        Row after = mapping.translate(direction, change.after());
        String table = target.name();
        switch (change.op()) {
            case SNAPSHOT:
            case INSERT:
                return List.of(TargetChange.upsert(table, after, overwritable(after)));
            case DELETE:
                return List.of(TargetChange.delete(table, key(before, change)));
            case UPDATE: {
                if (before == null) {
                    return List.of(TargetChange.upsert(table, after, overwritable(after)));
                }
                Row oldKey = key(before, change);
                Row newKey = key(after, change);
                if (!oldKey.equals(newKey)) {
                    return List.of(
                            TargetChange.delete(table, oldKey),
                            TargetChange.upsert(table, after, overwritable(after)));
                }
                List<String> changed = new ArrayList<>();
                for (String column : nonKey(after.columns())) {
                    if (!before.has(column) || !Values.same(before.get(column), after.get(column))) {
                        changed.add(column);
                    }
                }
                return List.of(TargetChange.upsert(table, after, changed));
            }
            default:
                throw new IllegalStateException("unexpected operation " + change.op());
        }
    }

    private List<String> overwritable(Row row) {
        List<String> out = nonKey(row.columns());
        out.removeAll(insertOnly);
        return out;
    }

    private List<String> nonKey(Iterable<String> columns) {
        List<String> out = new ArrayList<>();
        for (String c : columns) {
            if (!target.primaryKey().contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private Row key(Row row, SourceChange change) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : target.primaryKey()) {
            if (!row.has(column)) {
                throw new MappingException("mapping '" + mapping.name() + "' (" + mapping.origin() + ") gives no value"
                        + " for key column '" + column + "' of target table " + target.qualifiedName() + " from "
                        + change.op() + " on " + change.table() + " at " + change.position()
                        + ": map a source column to it");
            }
            key.put(column, row.get(column));
        }
        return Row.of(key);
    }
}
