package io.graybridge.bridge.lane;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.apply.TargetValues;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.db.Dialect;
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
 *   <li>snapshot read or insert: the translated row, about every column that carries source data (not the
 *       ones the mapping only fills with a default, so a v2 value is never reset to the default);</li>
 *   <li>update: the translated before and after images, about the columns whose translated value changed,
 *       so an update that touched only unmapped columns changes nothing on the target;</li>
 *   <li>update that changes the key: a delete of the old key, then an insert of the new row;</li>
 *   <li>delete: the translated before image and key.</li>
 * </ul>
 * What is then written depends on the target's current row: see {@link io.graybridge.bridge.apply.RowDecision}.
 */
final class ChangeTranslator {
    private final TableMapping mapping;
    private final Direction direction;
    private final TableInfo target;
    private final Set<String> insertOnly;
    private final Dialect targetDialect;

    ChangeTranslator(TableMapping mapping, Direction direction, TableInfo target) {
        this(mapping, direction, target, null);
    }

    /**
     * @param targetDialect the target's engine: each translated value takes its target column's form there
     *     ({@link TargetValues}; a value the column cannot hold exactly is a {@link MappingException}, so a dead
     *     letter); {@code null}: values are left as translated
     */
    ChangeTranslator(TableMapping mapping, Direction direction, TableInfo target, Dialect targetDialect) {
        this.targetDialect = targetDialect;
        this.mapping = mapping;
        this.direction = direction;
        this.target = target;
        this.insertOnly = direction == Direction.FORWARD
                ? MappingDescriptions.plan(mapping).map(p -> p.defaults().keySet()).orElse(Set.of())
                : Set.of();
    }

    List<TargetChange> translate(SourceChange change) {
        Row before = toTarget(mapping.translate(direction, change.before()));
        Row after = toTarget(mapping.translate(direction, change.after()));
        String table = target.name();
        switch (change.op()) {
            case SNAPSHOT:
                return List.of(of(change, TargetChange.Op.SNAPSHOT, key(after, change), null, after, compared(after)));
            case INSERT:
                return List.of(of(change, TargetChange.Op.INSERT, key(after, change), null, after, compared(after)));
            case DELETE:
                return List.of(of(change, TargetChange.Op.DELETE, key(before, change), before, null, compared(before)));
            case UPDATE: {
                if (before == null) {
                    return List.of(of(change, TargetChange.Op.INSERT, key(after, change), null, after, compared(after)));
                }
                Row oldKey = key(before, change);
                Row newKey = key(after, change);
                if (!oldKey.equals(newKey)) {
                    return List.of(
                            of(change, TargetChange.Op.DELETE, oldKey, before, null, compared(before)),
                            of(change, TargetChange.Op.INSERT, newKey, null, after, compared(after)));
                }
                List<String> changed = new ArrayList<>();
                for (String column : compared(after)) {
                    if (!before.has(column) || !Values.same(before.get(column), after.get(column))) {
                        changed.add(column);
                    }
                }
                return List.of(new TargetChange(table, TargetChange.Op.UPDATE, newKey, before, after, compared(after),
                        changed, change.commitTime(), change.position(), mapping.name(), change));
            }
            default:
                throw new IllegalStateException("unexpected operation " + change.op() + " on " + table);
        }
    }

    /**
     * For a part of a split or merge that does not own deletes, going to the whole table: its row appearing
     * sets the columns it carries in the whole row, its row disappearing clears them ({@link TargetChange.Op#CLEAR}),
     * and a key change clears them under the old key and sets them under the new one. Snapshot rows and
     * plain updates translate as usual.
     */
    List<TargetChange> translatePartColumns(SourceChange change) {
        switch (change.op()) {
            case INSERT: {
                Row after = toTarget(mapping.translate(direction, change.after()));
                return List.of(columns(change, TargetChange.Op.UPDATE, cleared(after), after));
            }
            case DELETE: {
                Row before = toTarget(mapping.translate(direction, change.before()));
                return List.of(columns(change, TargetChange.Op.CLEAR, before, cleared(before)));
            }
            case UPDATE: {
                if (change.before() == null) {
                    return translatePartColumns(new SourceChange(change.side(), change.table(), SourceChange.Op.INSERT,
                            null, change.after(), change.position(), change.txId(), change.commitTime(),
                            change.commitPosition(), change.seen(), change.stamp()));
                }
                Row before = toTarget(mapping.translate(direction, change.before()));
                Row after = toTarget(mapping.translate(direction, change.after()));
                if (key(before, change).equals(key(after, change))) {
                    return translate(change);
                }
                return List.of(columns(change, TargetChange.Op.CLEAR, before, cleared(before)),
                        columns(change, TargetChange.Op.UPDATE, cleared(after), after));
            }
            default:
                return translate(change);
        }
    }

    /** An update of the part's columns from {@code before} to {@code after}, about the columns that change. */
    private TargetChange columns(SourceChange change, TargetChange.Op op, Row before, Row after) {
        List<String> changed = new ArrayList<>();
        for (String column : compared(after)) {
            if (!Values.same(before.get(column), after.get(column))) {
                changed.add(column);
            }
        }
        return new TargetChange(target.name(), op, key(after, change), before, after, compared(after), changed,
                change.commitTime(), change.position());
    }

    private Row toTarget(Row row) {
        return targetDialect == null ? row : TargetValues.forTarget(targetDialect, target, row);
    }

    /** {@code row} with every non-key column NULL: the part's columns when the part's row does not exist. */
    private Row cleared(Row row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.asMap().forEach((c, v) -> out.put(c, target.primaryKey().contains(c) ? v : null));
        return Row.of(out);
    }

    private TargetChange of(SourceChange change, TargetChange.Op op, Row key, Row before, Row after, List<String> columns) {
        return new TargetChange(target.name(), op, key, before, after, columns, columns, change.commitTime(),
                change.position(), mapping.name(), change);
    }

    /** The non-key columns of {@code row} that carry source data (not those the mapping only defaults). */
    private List<String> compared(Row row) {
        List<String> out = new ArrayList<>();
        for (String c : row.columns()) {
            if (!target.primaryKey().contains(c) && !insertOnly.contains(c)) {
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
