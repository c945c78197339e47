package io.graybridge.reconcile.internal;

import io.graybridge.mapping.Direction;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.yaml.ColumnPlan;
import io.graybridge.mapping.yaml.ColumnRule;
import io.graybridge.mapping.yaml.Conversions;
import io.graybridge.mapping.yaml.MappingDescriptions;
import io.graybridge.reconcile.Equivalence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mapping written as SQL on each side, for chunk checksums computed inside the databases: which v2
 * columns are compared and where v1's value of each comes from (the rules that have an SQL form: rename,
 * {@code cents-to-decimal}, default, drop, pass-through), shared by every engine; then one implementation per
 * engine pair whose two sides compute the same row hash: {@link PgPushdown} (PostgreSQL on both sides, typed
 * hash functions) and {@link MariaDbPushdown} (MariaDB on both sides, MD5 of a canonical text). A pair of
 * different engines has no hash function in common and takes the slow path.
 *
 * <p>Two chunks with equal counts and checksums hold the same rows through the mapping, under the same
 * {@link Equivalence} as the Java comparison (up to a 64-bit hash collision); a differing checksum only
 * makes the engine read the chunk's rows, so a hash that tells equal values apart costs time, never
 * correctness.
 */
abstract class Pushdown {

    /** A pushdown plan, or why there is none. */
    record Planned(Pushdown pushdown, String whyNot) {}

    /** One chunk's count, checksum and (v1 only) last key. */
    record Sum(long count, String checksum, List<Object> last) {
        boolean sameAs(Sum other) {
            return count == other.count && java.util.Objects.equals(checksum, other.checksum);
        }
    }

    /** A v1 chunk end: the key (typed, for ranges) and its text (for the SQL array of chunk ends). */
    record Bound(List<Object> key, String text) {}

    /**
     * One compared v2 column.
     *
     * @param v1Column the v1 column its value comes from, or {@code null} for a default
     * @param cents whether v1's value is integer cents ({@code cents-to-decimal})
     * @param defaultValue the default written when {@code v1Column} is {@code null}
     * @param v2Column the v2 column
     * @param kind how both sides' values are hashed (numbers of mixed types as decimals)
     */
    record Compared(Column v1Column, boolean cents, Object defaultValue, Column v2Column, Column.Kind kind) {}

    /** v1's next chunk: at most {@code limit} rows of {@code (lo, hi]}; its last key when it holds {@code limit}. */
    abstract Sum v1Chunk(Connection c, List<Object> lo, List<Object> hi, int limit) throws SQLException;

    /** v1's next chunk after {@code lo}: its count (or 0 when it is the last) and last key only, no checksum. */
    abstract Sum v1Bounds(Connection c, List<Object> lo, int limit) throws SQLException;

    /** v2's chunk {@code (lo, hi]}. */
    abstract Sum v2Chunk(Connection c, List<Object> lo, List<Object> hi) throws SQLException;

    /**
     * One side's count and checksum of range {@code (lo, hi]} ({@code null}: unbounded) in one plain aggregate,
     * no chunks and no grouping: the sum of the same row hashes the chunk checksums add up, so equal sums of a
     * range mean its chunks' sums would be equal too (up to the same 2^-64 chance). The engine's first step.
     */
    abstract Sum rangeSum(Connection c, boolean v1Side, List<Object> lo, List<Object> hi) throws SQLException;

    /** Whether {@link #v1ChunkEnds} and {@link #sliceSums} are available. */
    abstract boolean sliceable();

    abstract List<Bound> v1ChunkEnds(Connection c, List<Object> lo, int chunkRows, int chunks) throws SQLException;

    abstract Map<Integer, Sum> sliceSums(Connection c, boolean v1Side, List<Object> lo, List<Object> hi, List<Bound> ends)
            throws SQLException;

    /** The pushdown of {@code mapping} between these two tables, or why there is none. */
    static Planned plan(TableMapping mapping, KeyedTable v1, KeyedTable v2, Equivalence eq) {
        boolean pg = v1 instanceof PgTable && v2 instanceof PgTable;
        // MariaDB and MySQL run the same SQL, but render some values differently (JSON, floats): one engine only
        boolean maria = v1 instanceof MariaDbTable && v2 instanceof MariaDbTable && v1.engine().equals(v2.engine());
        if (!pg && !maria) {
            return new Planned(null, "checksum pushdown needs the same engine on both sides (their hash functions"
                    + " differ); " + v1.engine() + " v1 -> " + v2.engine() + " v2 takes the slow path");
        }
        Object compared = compared(mapping, v1, v2);
        if (compared instanceof String whyNot) {
            return new Planned(null, whyNot);
        }
        @SuppressWarnings("unchecked")
        List<Compared> columns = (List<Compared>) compared;
        return pg ? PgPushdown.plan((PgTable) v1, (PgTable) v2, columns, eq)
                : MariaDbPushdown.plan((MariaDbTable) v1, (MariaDbTable) v2, columns, eq);
    }

    /** The compared columns in v2 name order, or (a {@code String}) why the mapping has no SQL form. */
    private static Object compared(TableMapping mapping, KeyedTable v1, KeyedTable v2) {
        ColumnPlan plan = MappingDescriptions.plan(mapping).orElse(null);
        if (plan == null) {
            return "the mapping's translator is code, not declarative rules";
        }
        Map<String, ColumnRule> v1Rules = new TreeMap<>();
        for (ColumnRule rule : plan.rules()) {
            boolean sqlForm = switch (rule.kind()) {
                case RENAME, CONVERT, DEFAULT, DROP -> true;
                default -> false;
            };
            if (!sqlForm) {
                // a value map, split, merge, JSON or computed column: its v2 columns are not v1 columns as they are
                return rule.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " rule at "
                        + rule.origin() + " has no SQL form yet";
            }
            if (rule.kind() == ColumnRule.Kind.CONVERT && rule.conversion() != Conversions.CENTS_TO_DECIMAL) {
                return "conversion " + rule.conversion().name() + " (rule at " + rule.origin() + ") has no SQL form yet";
            }
            if (rule.v1Column() != null) {
                v1Rules.put(rule.v1Column(), rule);
            }
        }
        Map<String, Compared> out = new TreeMap<>();
        for (Column c : v1.columns()) {
            String target = plan.target(Direction.FORWARD, c.name()).orElse(null);
            if (target == null) {
                continue;
            }
            Column t = v2.column(target).orElse(null);
            if (t == null) {
                return "v2 table " + v2.qualifiedName() + " has no column " + target;
            }
            ColumnRule rule = v1Rules.get(c.name());
            boolean cents = rule != null && rule.kind() == ColumnRule.Kind.CONVERT;
            if (cents) {
                if (c.kind() != Column.Kind.INTEGER || !Column.numeric(t.kind())) {
                    return "cents-to-decimal from " + c.sqlType() + " to " + t.sqlType() + " (column " + c.name()
                            + ") is only pushed down from an integer to a number";
                }
            } else if (!c.comparableTextWith(t)) {
                return "column " + c.name() + " is " + c.sqlType() + " on v1 and " + t.sqlType()
                        + " on v2: no common canonical text";
            }
            // integers on both sides need no numeric normalisation; any other mix of numbers does
            Column.Kind kind = t.kind() == Column.Kind.INTEGER && (c.kind() != Column.Kind.INTEGER || cents)
                    ? Column.Kind.DECIMAL : t.kind();
            out.put(target, new Compared(c, cents, null, t, kind));
        }
        for (Map.Entry<String, Object> d : plan.defaults().entrySet()) {
            Column t = v2.column(d.getKey()).orElse(null);
            if (t == null) {
                return "v2 table " + v2.qualifiedName() + " has no column " + d.getKey();
            }
            out.put(d.getKey(), new Compared(null, false, d.getValue(), t, t.kind()));
        }
        for (int i = 0; i < v2.key().size(); i++) {
            Column k1 = i < v1.key().size() ? v1.key().get(i) : null;
            Column k2 = v2.key().get(i);
            if (k1 == null || v1.key().size() != v2.key().size()
                    || !k2.name().equals(plan.target(Direction.FORWARD, k1.name()).orElse(null))
                    || v1Rules.containsKey(k1.name()) && v1Rules.get(k1.name()).kind() == ColumnRule.Kind.CONVERT
                    || !k1.typeName().equals(k2.typeName())) {
                return "the key is converted or typed differently on the two sides, so key ranges cannot be shared";
            }
        }
        return List.copyOf(out.values());
    }
}
