package io.graybridge.reconcile.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads the rows of one key range of a table in key order, {@code chunk} rows per query, each query
 * starting after the last key of the previous one (keyset pagination). The first chunk is read on
 * {@code prefetch} from construction on, and while the caller consumes one chunk the next one is read there
 * (the connection is only ever used by one thread at a time), so at most two chunks are held. A reader must
 * be read to its end before its connection is used for anything else. Rows are value arrays by selected
 * column position ({@link KeyedTable#readValues}), not maps.
 */
final class RangeReader {
    private final KeyedTable table;
    private final Connection connection;
    private final List<Object> hi;
    private final int chunk;
    private final ExecutorService prefetch;
    private ArrayList<Object[]> buffer = new ArrayList<>(0);
    private int taken;
    private Future<ArrayList<Object[]>> pending;
    private List<Object> after;
    private boolean exhausted;
    private long rows;

    RangeReader(KeyedTable table, Connection connection, List<Object> lo, List<Object> hi, int chunk, ExecutorService prefetch) {
        this.table = table;
        this.connection = connection;
        this.after = lo;
        this.hi = hi;
        this.chunk = chunk;
        this.prefetch = prefetch;
        this.pending = prefetch.submit(this::load); // start now: both sides of a merge load their first chunk at once
    }

    /** The next row, or {@code null} at the end of the range. */
    Object[] next() throws SQLException {
        if (taken == buffer.size()) {
            buffer = new ArrayList<>(0);
            taken = 0;
            if (pending != null) {
                buffer = await(pending);
                pending = null;
            }
            if (!exhausted) {
                pending = prefetch.submit(this::load);
            }
        }
        if (taken == buffer.size()) {
            return null;
        }
        rows++;
        return buffer.get(taken++);
    }

    long rowsRead() {
        return rows;
    }

    /** Stops reading: waits for the chunk being read ahead, if any (so the connection is free), and drops it. */
    void close() throws SQLException {
        if (pending != null) {
            Future<ArrayList<Object[]>> p = pending;
            pending = null;
            await(p);
        }
        exhausted = true;
    }

    private ArrayList<Object[]> load() throws SQLException {
        ArrayList<Object[]> out = new ArrayList<>(chunk);
        try (PreparedStatement ps = connection.prepareStatement(table.selectRange(after, hi, chunk))) {
            table.bindRange(ps, 1, after, hi);
            try (ResultSet rs = ps.executeQuery()) {
                Object[] last = null;
                while (rs.next()) {
                    last = table.readValues(rs);
                    out.add(last);
                }
                if (out.size() < chunk) {
                    exhausted = true;
                }
                if (last != null) {
                    after = table.keyOf(last);
                }
            }
        }
        return out;
    }

    private static ArrayList<Object[]> await(Future<ArrayList<Object[]>> f) throws SQLException {
        return Futures.await(f, "reading");
    }
}
