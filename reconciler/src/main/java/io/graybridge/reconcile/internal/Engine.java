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
import io.graybridge.reconcile.ProgressListener;
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
 * pushdown path (chunk checksums in the databases; differing chunks bisected down to row batches that the
 * merge join compares when few differ, read whole when more do, and stretches where most chunks differ
 * compared by the merge join without checksums). Memory is bounded by a chunk per side whatever the table
 * size.
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
    private Object[] lastExpectedKey;
    private Forward forward;
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
            forward = new Forward(mapping, t1);
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
                if (firstChunkMatches(p, v2Thread) && restMatches(p, v2Thread, null)) {
                    return;
                }
                options.progress().onPhase(ProgressListener.Phase.CHUNKS);
                pushdownBySlices(p, v2Thread);
            } else {
                if (restMatches(p, v2Thread, null)) {
                    return;
                }
                options.progress().onPhase(ProgressListener.Phase.CHUNKS);
                pushdownByChunks(p, v2Thread);
            }
        } finally {
            v2Thread.shutdownNow();
        }
    }

    /**
     * One plain count and checksum per side of everything after {@code lo} ({@code null}: the whole table), both
     * at once (v1's on a reader thread, v2's on {@code v2Thread}), with no chunk ends and no grouping. Equal: the
     * rest is clean (every chunk's sums would be equal too, up to the same 2^-64 chance) and counted as
     * matched. Different: the caller goes on chunk by chunk as if this had not been asked, which costs one more
     * pass over each side. Asked once per table, first: when the key is walked chunk by chunk, always; with slices,
     * when the first chunk's sums are equal ({@link #firstChunkMatches}).
     */
    private boolean restMatches(Pushdown p, ExecutorService v2Thread, List<Object> lo) throws SQLException {
        options.progress().onPhase(ProgressListener.Phase.WHOLE_RANGE);
        Future<Pushdown.Sum> v2Sum = v2Thread.submit(() -> p.rangeSum(c2, false, lo, null));
        Future<Pushdown.Sum> v1Sum = readers.submit(() -> p.rangeSum(c1, true, lo, null));
        Pushdown.Sum s1 = awaitTelling(v1Sum);
        Pushdown.Sum s2 = awaitTelling(v2Sum);
        if (!s1.sameAs(s2)) {
            return false;
        }
        tally.v1Rows += s1.count();
        tally.v2Rows += s2.count();
        tally.matched += s1.count();
        v1Done += s1.count();
        options.progress().onProgress(v1Done, path);
        return true;
    }

    /**
     * Whether the first chunk of v1 keys has equal plain sums on both sides (a table of less than a chunk: no).
     * The probe before the whole-table check: drift spread over the table shows in it, and then the whole-table
     * pass, which would differ, is not made.
     */
    private boolean firstChunkMatches(Pushdown p, ExecutorService v2Thread) throws SQLException {
        List<Pushdown.Bound> first = p.v1ChunkEnds(c1, null, options.chunkRows(), 1);
        if (first.isEmpty()) {
            return false;
        }
        List<Object> end = first.get(0).key();
        Future<Pushdown.Sum> v2Sum = v2Thread.submit(() -> p.rangeSum(c2, false, null, end));
        Pushdown.Sum s1 = p.rangeSum(c1, true, null, end);
        return s1.sameAs(await(v2Sum));
    }

    /** Waits for {@code sum}, telling the progress listener about every second (the whole-range check reports no rows). */
    private Pushdown.Sum awaitTelling(Future<Pushdown.Sum> sum) throws SQLException {
        while (!sum.isDone()) {
            try {
                sum.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                options.progress().onProgress(v1Done, path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // Futures.await reports it
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                break; // Futures.await rethrows the read's own failure
            }
        }
        return await(sum);
    }

    /**
     * Walks v1 in chunks of {@code chunkRows} keys; v1's chunk boundaries define v2's ranges. v2's checksum of
     * chunk i runs on {@code v2Thread} while v1's checksum of chunk i+1 runs on this one.
     */
    private void pushdownByChunks(Pushdown p, ExecutorService v2Thread) throws SQLException {
        List<Object> lo = null;
        Pushdown.Sum s1 = p.v1Chunk(c1, null, null, options.chunkRows());
        int denseStreak = 0;
        long checkedChunks = 0;
        long differingChunks = 0;
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
            checkedChunks++;
            if (s1.sameAs(s2)) {
                tally.matched += s1.count();
                denseStreak = 0;
            } else {
                differingChunks++;
                boolean sparse = differingChunks <= 1 + checkedChunks / SPARSE;
                denseStreak = range(p, lo, hi, s1.count(), sparse) ? denseStreak + 1 : 0;
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

    /**
     * Chunks in the first slice of {@link #pushdownBySlices}, and in the slice checked after a run of dense
     * differences; each next slice holds {@value #SLICE_GROWTH} times as many, up to {@link #MAX_SLICE_CHUNKS}.
     * A slice is one pass over its key range per side, and PostgreSQL reads a large part of a table by a
     * sequential scan of all of it: fixed slices of 100 chunks cost ten full scans per side at 10M rows.
     */
    static final int SLICE_CHUNKS = 10;

    static final int SLICE_GROWTH = 100;

    /** The most chunks per slice (100M rows at the default 10,000 per chunk): bounds the array of chunk ends. */
    static final int MAX_SLICE_CHUNKS = 10_000;

    /**
     * When most chunks of a slice differ, their rows and the next this-many chunks' rows are compared by the
     * slow path's merge join, without checksums (the rows would be read anyway), before a slice of
     * {@value #SLICE_CHUNKS} chunks is checksummed again to notice when the differences thin out. Each run
     * after another dense slice is twice as long, up to {@link #MAX_DENSE_RUN_CHUNKS}: with drift everywhere,
     * pushdown costs the slow path plus the checksums of a few small slices (at 10M rows, fixed runs of 90
     * meant 100 probe slices and made pushdown 1.2x the slow path's time at 1% drift).
     */
    static final int DENSE_RUN_CHUNKS = 90;

    static final int MAX_DENSE_RUN_CHUNKS = 90 * 64;

    /**
     * A differing chunk is split and its parts checksummed again ({@link #range}) only while one chunk differs,
     * or at most one more per this many chunks; otherwise its rows are read and compared directly (its parts
     * would differ too).
     */
    static final int SPARSE = 16;

    /**
     * Pushdown for a single-column key, a slice of chunks at a time: v1's chunk ends in one statement
     * (index-only), then both sides' counts and checksums per chunk in one pass each, v2's on {@code v2Thread}
     * while v1's runs. When few chunks differ, each differing chunk is compared as in {@link #range}; when most
     * do, the slice and the next {@value #DENSE_RUN_CHUNKS} chunks (twice as many after each further dense
     * slice) are compared by the merge join ({@link #mergeRun}). Reading a chunk per query through the key index cost about as much per row as the
     * checksum itself, hence the slices.
     */
    private void pushdownBySlices(Pushdown p, ExecutorService v2Thread) throws SQLException {
        Pushdown.Sum none = new Pushdown.Sum(0, null, null);
        List<Object> lo = null;
        int sliceChunks = SLICE_CHUNKS;
        int runChunks = DENSE_RUN_CHUNKS;
        while (true) {
            List<Pushdown.Bound> ends = p.v1ChunkEnds(c1, lo, options.chunkRows(), sliceChunks);
            boolean lastSlice = ends.size() < sliceChunks;
            List<Object> hi = lastSlice ? null : ends.get(ends.size() - 1).key();
            List<Pushdown.Bound> inner = lastSlice ? ends : ends.subList(0, ends.size() - 1);
            List<Object> from = lo;
            Future<java.util.Map<Integer, Pushdown.Sum>> v2Sums = v2Thread.submit(() -> p.sliceSums(c2, false, from, hi, inner));
            java.util.Map<Integer, Pushdown.Sum> v1Sums = p.sliceSums(c1, true, from, hi, inner);
            java.util.Map<Integer, Pushdown.Sum> v2Got = Futures.await(v2Sums, "comparing");
            int chunks = inner.size() + 1;
            int differing = 0;
            long sliceRows = 0;
            for (int b = 0; b < chunks; b++) {
                sliceRows += v1Sums.getOrDefault(b, none).count();
                if (!v1Sums.getOrDefault(b, none).sameAs(v2Got.getOrDefault(b, none))) {
                    differing++;
                }
            }
            if (differing * 2 > chunks) {
                List<Object> stop = mergeRun(from, sliceRows + (long) options.chunkRows() * runChunks);
                if (stop == null) {
                    return;
                }
                lo = stop;
                sliceChunks = SLICE_CHUNKS;
                runChunks = Math.min(MAX_DENSE_RUN_CHUNKS, runChunks * 2);
                continue;
            }
            runChunks = DENSE_RUN_CHUNKS;
            boolean sparse = differing <= 1 + chunks / SPARSE;
            for (int b = 0; b < chunks; b++) {
                Pushdown.Sum s1 = v1Sums.getOrDefault(b, none);
                Pushdown.Sum s2 = v2Got.getOrDefault(b, none);
                tally.v1Rows += s1.count();
                tally.v2Rows += s2.count();
                if (s1.sameAs(s2)) {
                    tally.matched += s1.count();
                } else {
                    range(p, b == 0 ? from : inner.get(b - 1).key(), b < inner.size() ? inner.get(b).key() : hi, s1.count(),
                            sparse);
                }
                v1Done += s1.count();
                options.progress().onProgress(v1Done, path);
            }
            if (lastSlice) {
                return;
            }
            lo = hi;
            sliceChunks = (int) Math.min(MAX_SLICE_CHUNKS, (long) sliceChunks * SLICE_GROWTH);
        }
    }

    private static Pushdown.Sum await(Future<Pushdown.Sum> sum) throws SQLException {
        return Futures.await(sum, "comparing");
    }

    /**
     * Range {@code (lo, hi]} differs and holds {@code v1Count} v1 rows: compare its rows when it is a leaf or
     * when differences are not {@code sparse} (most chunks differ, so its parts would differ too), else split it
     * in {@value #FANOUT} and check each part again. Returns whether the differences were dense (most of the
     * first parts differed, or it was read without splitting).
     */
    private boolean range(Pushdown p, List<Object> lo, List<Object> hi, long v1Count, boolean sparse) throws SQLException {
        if (v1Count <= options.leafRows() || !sparse) {
            merge(new Reader(t1, c1, lo, hi, options.chunkRows(), readers), new Reader(t2, c2, lo, hi, options.chunkRows(), readers), false);
            return !sparse;
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
                range(p, from, to, s1.count(), true);
            }
            if (last) {
                return false;
            }
            from = to;
        }
    }

    /**
     * The slow path's merge join from after {@code lo} for {@code v1Budget} v1 rows and the v2 rows up to the
     * last of them (counting rows and progress as the slow path does). Returns that last v1 key, where the
     * next slice starts, or {@code null} when v1 ended first and both sides were read to their end.
     */
    private List<Object> mergeRun(List<Object> lo, long v1Budget) throws SQLException {
        Reader r1 = new Reader(t1, c1, lo, null, options.chunkRows(), readers);
        Reader r2 = new Reader(t2, c2, lo, null, options.chunkRows(), readers);
        Source budgeted = new Source() {
            private long taken;

            @Override
            public Object[] next() throws SQLException {
                if (taken == v1Budget) {
                    return null;
                }
                Object[] row = r1.next();
                if (row != null && ++taken == v1Budget) {
                    runCut = t1.keyOf(row);
                }
                return row;
            }

            @Override
            public long rows() {
                return taken;
            }
        };
        try {
            merge(budgeted, r2, true);
            return runCut;
        } finally {
            runCut = null;
            r1.close();
            r2.close();
        }
    }

    /** While {@link #mergeRun} stops: v1's last key in the run, once its budget is read (v2 stops after it). */
    private List<Object> runCut;

    // ---------------------------------------------------------------------------------- merge join

    /** Rows of one side in key order, as value arrays by selected column position. */
    private interface Source {
        Object[] next() throws SQLException;

        long rows();
    }

    private final class Reader implements Source {
        private final RangeReader reader;

        Reader(KeyedTable table, Connection c, List<Object> lo, List<Object> hi, int chunk, ExecutorService prefetch) {
            this.reader = new RangeReader(table, c, lo, hi, chunk, prefetch);
        }

        @Override
        public Object[] next() throws SQLException {
            return reader.next();
        }

        @Override
        public long rows() {
            return reader.rowsRead() - held;
        }

        /** A row read but left for a later range (by {@link #mergeRun}): not counted. */
        private int held;

        /** Waits for the chunk being read ahead, if any, so the connection is free again. */
        void close() throws SQLException {
            reader.close();
        }
    }

    /** The v2 column names of the last translated row whose positions {@link #wantTo2} and {@link #wantKey} hold. */
    private String[] layoutNames;
    /** For each translated column, its position in v2's arrays (-1: not read on v2, compared with null). */
    private int[] wantTo2;
    /** For each v2 key column, its index in the translated row (-1: the translation does not give it). */
    private int[] wantKey;

    /** Works out {@link #wantTo2} and {@link #wantKey} for the columns of {@code want}, once per layout. */
    private void layout(Forward.Translated want) {
        String[] names = want.names();
        if (names == layoutNames || java.util.Arrays.equals(names, layoutNames)) {
            return;
        }
        wantTo2 = new int[names.length];
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int j = 0; j < names.length; j++) {
            wantTo2[j] = t2.position(names[j]);
            index.putIfAbsent(names[j], j);
        }
        List<String> key2 = t2.keyNames();
        wantKey = new int[key2.size()];
        for (int k = 0; k < wantKey.length; k++) {
            wantKey[k] = index.getOrDefault(key2.get(k), -1);
        }
        layoutNames = names;
    }

    /**
     * The merge join of two key-ordered streams: a key on v1 only is missing on v2, on v2 only extra, on
     * both compared column by column. v1 rows are translated forward first; their keys must stay in order.
     * Rows are value arrays; {@link Row}s are built only for the differences reported.
     */
    /** Returns the rows read on v1 and on v2. */
    private long[] merge(Source v1, Source v2, boolean countRows) throws SQLException {
        Object[] raw = v1.next();
        Forward.Translated want = translate(raw);
        Object[] have = v2.next();
        int[] key2 = t2.keyPositions();
        while (want != null || have != null) {
            if (want == null && runCut != null && have != null
                    && KeyOrder.INSTANCE.compare(t2.keyOf(have), runCut) > 0) {
                // past the end of a run: this v2 row belongs to the next range
                if (v2 instanceof Reader r) {
                    r.held = 1;
                }
                break;
            }
            int cmp = want == null ? 1 : have == null ? -1 : compareKeys(want.values(), have, key2);
            if (cmp < 0) {
                tally.record(new Difference(Difference.Kind.MISSING_ON_V2, wantKeyRow(want), t1.rowOf(raw), Forward.row(want), null, List.of()));
            } else if (cmp > 0) {
                tally.record(new Difference(Difference.Kind.EXTRA_ON_V2, keyRow(t2.keyNames(), have, key2), null, null, t2.rowOf(have), List.of()));
            } else {
                List<String> differing = null;
                Object[] w = want.values();
                int[] to2 = wantTo2;
                for (int j = 0; j < w.length; j++) {
                    int p = to2[j];
                    if (!options.equivalence().same(w[j], p < 0 ? null : have[p])) {
                        if (differing == null) {
                            differing = new ArrayList<>();
                        }
                        differing.add(want.names()[j]);
                    }
                }
                if (differing == null) {
                    tally.matched++;
                } else {
                    tally.record(new Difference(Difference.Kind.MISMATCHED, wantKeyRow(want), t1.rowOf(raw), Forward.row(want),
                            t2.rowOf(have), differing));
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

    /** Key order of translated values {@code w} (through {@link #wantKey}) against v2 row {@code have}. */
    private int compareKeys(Object[] w, Object[] have, int[] key2) {
        int[] wk = wantKey;
        for (int k = 0; k < wk.length; k++) {
            int c = KeyOrder.value(wk[k] < 0 ? null : w[wk[k]], key2[k] < 0 ? null : have[key2[k]]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private Forward.Translated translate(Object[] raw) {
        if (raw == null) {
            return null;
        }
        Forward.Translated out;
        try {
            out = forward.translate(raw);
        } catch (MappingException e) {
            throw new GrayBridgeException(ErrorCode.MAPPING_FAILED, "v1 row " + keyRow(t1.keyNames(), raw, t1.keyPositions())
                    + " cannot be translated: " + e.getMessage(), e);
        }
        layout(out);
        Object[] w = out.values();
        int[] wk = wantKey;
        if (lastExpectedKey != null) {
            int c = 0;
            for (int k = 0; k < wk.length && c == 0; k++) {
                c = KeyOrder.value(lastExpectedKey[k], wk[k] < 0 ? null : w[wk[k]]);
            }
            if (c >= 0) {
                throw new GrayBridgeException(ErrorCode.MAPPING_FAILED, "v1 keys do not keep their order through the mapping ("
                        + Values.render(java.util.Arrays.asList(lastExpectedKey)) + " then " + Values.render(keyValues(out))
                        + "); the merge join needs a key mapping that preserves order");
            }
        } else {
            lastExpectedKey = new Object[wk.length];
        }
        for (int k = 0; k < wk.length; k++) {
            lastExpectedKey[k] = wk[k] < 0 ? null : w[wk[k]];
        }
        return out;
    }

    /** The v2 key values of translated row {@code want}, in key column order. */
    private List<Object> keyValues(Forward.Translated want) {
        List<Object> k = new ArrayList<>(wantKey.length);
        for (int i : wantKey) {
            k.add(i < 0 ? null : want.values()[i]);
        }
        return k;
    }

    private Row wantKeyRow(Forward.Translated want) {
        Row.Builder b = Row.builder();
        List<String> names = t2.keyNames();
        List<Object> values = keyValues(want);
        for (int k = 0; k < names.size(); k++) {
            b.put(names.get(k), values.get(k));
        }
        return b.build();
    }

    /** The key row of a row read as values, {@code positions} being where each of {@code names} is. */
    private static Row keyRow(List<String> names, Object[] values, int[] positions) {
        Row.Builder b = Row.builder();
        for (int k = 0; k < names.size(); k++) {
            b.put(names.get(k), positions[k] < 0 ? null : values[positions[k]]);
        }
        return b.build();
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
        ArrayDeque<Object[]> rows = new ArrayDeque<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (List<Object> k : keys) {
                for (Object v : k) {
                    ps.setObject(i++, v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(t.readValues(rs));
                }
            }
        }
        long total = rows.size();
        return new Source() {
            @Override
            public Object[] next() {
                return rows.poll();
            }

            @Override
            public long rows() {
                return total;
            }
        };
    }
}
