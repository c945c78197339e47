package io.graybridge.reconcile;

import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.internal.Engine;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Compares one mapped table between v1 and v2: both sides in primary-key order, v1 rows translated
 * forward through the mapping, compared with v2 column by column under an {@link Equivalence}. Only the
 * columns the mapping produces are compared.
 *
 * <p>Two paths, chosen by {@link CompareOptions#strategy()}:
 * <ul>
 *   <li><b>pushdown</b> (when every rule of the mapping has an SQL form: rename, drop, default,
 *       pass-through, {@code cents-to-decimal}): each database computes per-chunk counts and checksums (sums of 64-bit row hashes)
 *       over a canonical text of the mapped columns; only chunks whose checksums differ are split (16 ways, recursively), down to
 *       ranges of at most {@link CompareOptions#leafRows()} v1 rows, whose rows are then read and compared;</li>
 *   <li><b>slow</b>: every row of both sides read in keyset-paged chunks and compared by a streaming merge
 *       join.</li>
 * </ul>
 * Both give the same answer on the same data. Memory stays at about one chunk per side, whatever the
 * table's size. Text keys are ordered in the binary collation ({@code COLLATE "C"}) on both sides, so the
 * merge join sees one order; on MariaDB ({@code CAST(key AS BINARY)}) too. Pushdown needs the same engine on both sides;
 * a PostgreSQL/MariaDB pair takes the slow path.
 *
 * <p>Each query runs in its own snapshot: on a live system a row changing during the run can show as a
 * difference; {@link #recheck} compares a set of keys again (for a caller that waits for the lanes to
 * catch up first).
 */
public final class TableComparator {

    /**
     * One side's table.
     *
     * @param dataSource where to read
     * @param schema its schema
     * @param table its name
     * @param key its primary key columns, in key order
     */
    public record SideTable(DataSource dataSource, String schema, String table, List<String> key) {
        public SideTable {
            Objects.requireNonNull(dataSource, "dataSource");
            key = List.copyOf(key);
        }
    }

    private TableComparator() {}

    /**
     * Compares {@code v1} translated forward with {@code v2}, on the automatic path.
     *
     * @param sampleLimit at most this many differing keys are described in {@link TableComparison#samples()}
     */
    public static TableComparison compare(TableMapping mapping, SideTable v1, SideTable v2, int sampleLimit) {
        return compare(mapping, v1, v2, CompareOptions.defaults().withSampleLimit(sampleLimit));
    }

    /**
     * Compares {@code v1} translated forward with {@code v2}.
     *
     * @throws io.graybridge.error.GrayBridgeException when a side cannot be read, a table or key column is
     *     missing, a v1 row cannot be translated, or (strategy {@code PUSHDOWN}) the mapping has no SQL form
     */
    public static TableComparison compare(TableMapping mapping, SideTable v1, SideTable v2, CompareOptions options) {
        return Engine.compare(mapping, v1, v2, options);
    }

    /**
     * Compares only the rows with the given keys (v2 key values in key column order; the key must have the
     * same columns on both sides up to renames), the same way as {@link #compare}. For re-checking the keys
     * an earlier run found different once the lanes have caught up.
     */
    public static TableComparison recheck(
            TableMapping mapping, SideTable v1, SideTable v2, Collection<List<Object>> keys, CompareOptions options) {
        return Engine.recheck(mapping, v1, v2, keys, options);
    }
}
