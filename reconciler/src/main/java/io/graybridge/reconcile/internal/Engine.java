package io.graybridge.reconcile.internal;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.ColumnPlan;
import io.graybridge.mapping.yaml.MappingDescriptions;
import io.graybridge.reconcile.ComparePath;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Runs one comparison: the slow path (a streaming merge join of both sides read in key order) or the
 * pushdown path (chunk checksums in the databases, bisection of differing chunks down to row batches that
 * the merge join compares). Memory is bounded by a chunk per side whatever the table size.
 */
public final class Engine {
    /** A differing range is split into this many sub-ranges (a 16-way bisection: fewer round trips). */
    static final int FANOUT = 16;

    private final TableMapping mapping;
    private final CompareOptions options;
    private final Tally tally;
    private KeyedTable t1;
    private KeyedTable t2;
    private Connection c1;
    private Connection c2;
    private List<Object> lastExpectedKey;
    private long v1Done;
    private long nextProgress;
    private ComparePath path = ComparePath.SLOW;
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "graybridge-reconcile-read");
        t.setDaemon(true);
        return t;
    });

    private Engine(TableMapping mapping, CompareOptions options) {
        this.mapping = mapping;
        this.options = options;
        this.tally = new Tally(options);
    }

    /** Compares {@code v1} translated forward with {@code v2}. */
    public static TableComparison compare(TableMapping mapping, SideTable v1, SideTable v2, CompareOptions options) {
        return new Engine(mapping, options).run(v1, v2, null);
    }

    /** Compares only the rows of {@code keys} (v2 key values in key column order) on both sides. */
    public static TableComparison recheck(
            TableMapping mapping, SideTable v1, SideTable v2, Collection<List<Object>> keys, CompareOptions options) {
        return new Engine(mapping, options).run(v1, v2, keys);
    }

    private TableComparison run(SideTable v1, SideTable v2, Collection<List<Object>> keys) {
        long start = System.nanoTime();
        String where = mapping.name() + " (" + v1.schema() + "." + v1.table() + " -> " + v2.schema() + "." + v2.table() + ")";
        try (Connection a = v1.dataSource().getConnection(); Connection b = v2.dataSource().getConnection()) {
            c1 = a;
            c2 = b;
            t1 = KeyedTable.load(a, v1.schema(), v1.table(), v1.key());
            KeyedTable full2 = KeyedTable.load(b, v2.schema(), v2.table(), v2.key());
            t2 = comparedColumns(t1).map(full2::selecting).orElse(full2);
            if (keys != null) {
                recheck(keys);
                return tally.result(mapping.name(), start, ComparePath.SLOW, "re-check of " + keys.size() + " keys");
            }
            String note = "";
            if (options.strategy() != CompareOptions.Strategy.SLOW) {
                Pushdown.Planned planned = Pushdown.plan(mapping, t1, t2, options.equivalence());
                if (planned.pushdown() != null) {
                    path = ComparePath.PUSHDOWN;
                    pushdown(planned.pushdown());
                    return tally.result(mapping.name(), start, path, "");
                }
                if (options.strategy() == CompareOptions.Strategy.PUSHDOWN) {
                    throw new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH,
                            "cannot push the comparison of " + where + " down: " + planned.whyNot());
                }
                note = planned.whyNot();
            }
            merge(new Reader(t1, c1, null, null, options.chunkRows(), readers), new Reader(t2, c2, null, null, options.chunkRows(), readers), true);
            return tally.result(mapping.name(), start, ComparePath.SLOW, note);
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "cannot compare " + where + ": " + e.getMessage(), e);
        } catch (GrayBridgeException e) {
            if (e.getMessage().startsWith("cannot compare") || e.getMessage().startsWith("cannot push")) {
                throw e;
            }
            throw new GrayBridgeException(e.code(), "cannot compare " + where + ": " + e.getMessage(), e);
        } finally {
            readers.shutdownNow();
        }
    }

    /** The v2 columns a declarative mapping produces from this v1 table (empty for code translators: all columns). */
    private java.util.Optional<List<String>> comparedColumns(KeyedTable v1) {
        ColumnPlan plan = MappingDescriptions.plan(mapping).orElse(null);
        if (plan == null) {
            return java.util.Optional.empty();
        }
        Set<String> out = new LinkedHashSet<>();
        for (Column c : v1.columns()) {
            plan.target(Direction.FORWARD, c.name()).ifPresent(out::add);
        }
        out.addAll(plan.writes(Direction.FORWARD)); // split, merged, packed and computed columns too
        out.addAll(plan.defaults().keySet());
        return java.util.Optional.of(new ArrayList<>(out));
    }

    // ------------------------------------------------------------------------------------ pushdown

    /** Pushdown by slices where the key allows it, else chunk by chunk; v2's side runs on a second thread. */
    private void pushdown(Pushdown p) throws SQLException {
        ExecutorService v2Thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "graybridge-reconcile-v2");
            t.setDaemon(true);
            return t;
        });
        try {
            if (p.sliceable()) {
                pushdownBySlices(p, v2Thread);
            } else {
                pushdownByChunks(p, v2Thread);
            }
        } finally {
            v2Thread.shutdownNow();
        }
    }

    /**
     * Walks v1 in chunks of {@code chunkRows} keys; v1's chunk boundaries define v2's ranges. v2's checksum of
     * chunk i runs on {@code v2Thread} while v1's checksum of chunk i+1 runs on this one.
     */
    private void pushdownByChunks(Pushdown p, ExecutorService v2Thread) throws SQLException {
        List<Object> lo = null;
        Pushdown.Sum s1 = p.v1Chunk(c1, null, null, options.chunkRows());
        int denseStreak = 0;
        for (long chunk = 0; ; chunk++) {
            List<Object> from = lo;
            List<Object> hi = s1.count() < options.chunkRows() ? null : s1.last();
            if (denseStreak >= 2 && chunk % 8 != 0) {
                // the last chunks were dense with differences: read this one's rows directly (every 8th
                // chunk is checksummed again, to notice when the differences thin out)
                Pushdown.Sum next = hi == null ? null : (chunk + 1) % 8 == 0
                        ? p.v1Chunk(c1, hi, null, options.chunkRows())
                        : p.v1Bounds(c1, hi, options.chunkRows());
                long[] read = merge(new Reader(t1, c1, lo, hi, options.chunkRows(), readers),
                        new Reader(t2, c2, lo, hi, options.chunkRows(), readers), false);
                tally.v1Rows += read[0];
                tally.v2Rows += read[1];
                v1Done += read[0];
                options.progress().onProgress(v1Done, path);
                if (hi == null) {
                    return;
                }
                lo = hi;
                s1 = next;
                continue;
            }
            Future<Pushdown.Sum> v2Sum = v2Thread.submit(() -> p.v2Chunk(c2, from, hi));
            Pushdown.Sum next = hi == null ? null : p.v1Chunk(c1, hi, null, options.chunkRows());
            Pushdown.Sum s2 = await(v2Sum);
            tally.v1Rows += s1.count();
            tally.v2Rows += s2.count();
            if (s1.sameAs(s2)) {
                tally.matched += s1.count();
                denseStreak = 0;
            } else {
                denseStreak = range(p, lo, hi, s1.count()) ? denseStreak + 1 : 0;
            }
            v1Done += s1.count();
            options.progress().onProgress(v1Done, path);
            if (hi == null) {
                return;
            }
            lo = hi;
            s1 = next;
        }
    }

    /** Chunks per slice of {@link #pushdownBySlices}: one pass over this many chunks per side. */
    static final int SLICE_CHUNKS = 100;

    /**
     * Pushdown for a single-column key, a slice of {@value #SLICE_CHUNKS} chunks at a time: v1's chunk ends in
     * one statement (index-only), then both sides' counts and checksums per chunk in one pass each, v2's on
     * {@code v2Thread} while v1's runs; differing chunks are then split and compared as in {@link #range}.
     * Reading a chunk per query through the key index cost about as much per row as the checksum itself.
     */
    private void pushdownBySlices(Pushdown p, ExecutorService v2Thread) throws SQLException {
        Pushdown.Sum none = new Pushdown.Sum(0, null, null);
        List<Object> lo = null;
        while (true) {
            List<Pushdown.Bound> ends = p.v1ChunkEnds(c1, lo, options.chunkRows(), SLICE_CHUNKS);
            boolean lastSlice = ends.size() < SLICE_CHUNKS;
            List<Object> hi = lastSlice ? null : ends.get(ends.size() - 1).key();
            List<Pushdown.Bound> inner = lastSlice ? ends : ends.subList(0, ends.size() - 1);
            List<Object> from = lo;
            Future<java.util.Map<Integer, Pushdown.Sum>> v2Sums = v2Thread.submit(() -> p.sliceSums(c2, false, from, hi, inner));
            java.util.Map<Integer, Pushdown.Sum> v1Sums = p.sliceSums(c1, true, from, hi, inner);
            java.util.Map<Integer, Pushdown.Sum> v2Got = Futures.await(v2Sums, "comparing");
            for (int b = 0; b <= inner.size(); b++) {
                Pushdown.Sum s1 = v1Sums.getOrDefault(b, none);
                Pushdown.Sum s2 = v2Got.getOrDefault(b, none);
                tally.v1Rows += s1.count();
                tally.v2Rows += s2.count();
                if (s1.sameAs(s2)) {
                    tally.matched += s1.count();
                } else {
                    range(p, b == 0 ? from : inner.get(b - 1).key(), b < inner.size() ? inner.get(b).key() : hi, s1.count());
                }
                v1Done += s1.count();
                options.progress().onProgress(v1Done, path);
            }
            if (lastSlice) {
                return;
            }
            lo = hi;
        }
    }

    private static Pushdown.Sum await(Future<Pushdown.Sum> sum) throws SQLException {
        return Futures.await(sum, "comparing");
    }

    /**
     * Range {@code (lo, hi]} differs and holds {@code v1Count} v1 rows: split it in {@value #FANOUT}, or compare
     * its rows. Returns whether the differences were dense (most of the first sub-ranges differed).
     */
    private boolean range(Pushdown p, List<Object> lo, List<Object> hi, long v1Count) throws SQLException {
        if (v1Count <= options.leafRows()) {
            merge(new Reader(t1, c1, lo, hi, options.chunkRows(), readers), new Reader(t2, c2, lo, hi, options.chunkRows(), readers), false);
            return false;
        }
        int half = (int) Math.max(1, (v1Count + FANOUT - 1) / FANOUT);
        List<Object> from = lo;
        int checked = 0;
        int differing = 0;
        while (true) {
            if (checked >= 4 && differing * 2 > checked) {
                // most sub-ranges differ: reading the rest beats checksumming it piece by piece
                merge(new Reader(t1, c1, from, hi, options.chunkRows(), readers), new Reader(t2, c2, from, hi, options.chunkRows(), readers), false);
                return true;
            }
            checked++;
            Pushdown.Sum s1 = p.v1Chunk(c1, from, hi, half);
            boolean last = s1.count() < half || hi != null && KeyOrder.INSTANCE.compare(s1.last(), hi) == 0;
            List<Object> to = last ? hi : s1.last();
            Pushdown.Sum s2 = p.v2Chunk(c2, from, to);
            if (s1.sameAs(s2)) {
                tally.matched += s1.count();
            } else {
                differing++;
                range(p, from, to, s1.count());
            }
            if (last) {
                return false;
            }
            from = to;
        }
    }

    // ---------------------------------------------------------------------------------- merge join

    /** Rows of one side in key order. */
    private interface Source {
        Row next() throws SQLException;

        long rows();
    }

    private final class Reader implements Source {
        private final RangeReader reader;

        Reader(KeyedTable table, Connection c, List<Object> lo, List<Object> hi, int chunk, ExecutorService prefetch) {
            this.reader = new RangeReader(table, c, lo, hi, chunk, prefetch);
        }

        @Override
        public Row next() throws SQLException {
            return reader.next();
        }

        @Override
        public long rows() {
            return reader.rowsRead();
        }
    }

    /**
     * The merge join of two key-ordered streams: a key on v1 only is missing on v2, on v2 only extra, on
     * both compared column by column. v1 rows are translated forward first; their keys must stay in order.
     */
    /** Returns the rows read on v1 and on v2. */
    private long[] merge(Source v1, Source v2, boolean countRows) throws SQLException {
        Row raw = v1.next();
        Row want = translate(raw);
        Row have = v2.next();
        List<String> key2 = t2.keyNames();
        while (want != null || have != null) {
            int cmp = want == null ? 1 : have == null ? -1 : KeyOrder.INSTANCE.compare(t2.keyOf(want), t2.keyOf(have));
            if (cmp < 0) {
                tally.record(new Difference(Difference.Kind.MISSING_ON_V2, keyRow(want, key2), raw, want, null, List.of()));
            } else if (cmp > 0) {
                tally.record(new Difference(Difference.Kind.EXTRA_ON_V2, keyRow(have, key2), null, null, have, List.of()));
            } else {
                List<String> differing = new ArrayList<>();
                for (String column : want.columns()) {
                    if (!options.equivalence().same(want.get(column), have.get(column))) {
                        differing.add(column);
                    }
                }
                if (differing.isEmpty()) {
                    tally.matched++;
                } else {
                    tally.record(new Difference(Difference.Kind.MISMATCHED, keyRow(want, key2), raw, want, have, differing));
                }
            }
            if (cmp <= 0) {
                if (countRows && ++v1Done >= nextProgress) {
                    options.progress().onProgress(v1Done, path);
                    nextProgress = v1Done + options.chunkRows();
                }
                raw = v1.next();
                want = translate(raw);
            }
            if (cmp >= 0) {
                have = v2.next();
            }
        }
        if (countRows) {
            tally.v1Rows += v1.rows();
            tally.v2Rows += v2.rows();
            options.progress().onProgress(v1Done, path);
        }
        return new long[] {v1.rows(), v2.rows()};
    }

    private Row translate(Row raw) {
        if (raw == null) {
            return null;
        }
        Row out;
        try {
            out = mapping.translate(Direction.FORWARD, raw);
        } catch (MappingException e) {
            throw new GrayBridgeException(ErrorCode.MAPPING_FAILED, "v1 row " + keyRow(raw, t1.keyNames())
                    + " cannot be translated: " + e.getMessage(), e);
        }
        List<Object> key = t2.keyOf(out);
        if (lastExpectedKey != null && KeyOrder.INSTANCE.compare(lastExpectedKey, key) >= 0) {
            throw new GrayBridgeException(ErrorCode.MAPPING_FAILED, "v1 keys do not keep their order through the mapping ("
                    + Values.render(lastExpectedKey) + " then " + Values.render(key)
                    + "); the merge join needs a key mapping that preserves order");
        }
        lastExpectedKey = key;
        return out;
    }

    private static Row keyRow(Row row, List<String> key) {
        java.util.Map<String, Object> k = new java.util.LinkedHashMap<>();
        key.forEach(c -> k.put(c, row.get(c)));
        return Row.of(k);
    }

    // ------------------------------------------------------------------------------------ re-check

    private void recheck(Collection<List<Object>> keys) throws SQLException {
        if (!t1.keyNames().equals(t2.keyNames()) && t1.key().size() != t2.key().size()) {
            throw new GrayBridgeException(ErrorCode.SCHEMA_MISMATCH, "the key has a different shape on the two sides");
        }
        List<List<Object>> sorted = new ArrayList<>(keys);
        sorted.sort(KeyOrder.INSTANCE);
        for (int i = 0; i < sorted.size(); i += 500) {
            List<List<Object>> batch = sorted.subList(i, Math.min(sorted.size(), i + 500));
            merge(listed(t1, c1, batch), listed(t2, c2, batch), true);
        }
    }

    private static Source listed(KeyedTable t, Connection c, List<List<Object>> keys) throws SQLException {
        String tuple = "(" + t.key().stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
        String sql = t.selectWhere("(" + t.key().stream().map(t::matched).collect(Collectors.joining(", ")) + ") IN ("
                + keys.stream().map(k -> tuple).collect(Collectors.joining(", ")) + ")", keys.size());
        ArrayDeque<Row> rows = new ArrayDeque<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (List<Object> k : keys) {
                for (Object v : k) {
                    ps.setObject(i++, v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(t.read(rs));
                }
            }
        }
        long total = rows.size();
        return new Source() {
            @Override
            public Row next() {
                return rows.poll();
            }

            @Override
            public long rows() {
                return total;
            }
        };
    }
}
