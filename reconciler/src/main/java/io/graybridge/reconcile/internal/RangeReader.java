package io.graybridge.reconcile.internal;

import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads the rows of one key range of a table in key order, {@code chunk} rows per query, each query
 * starting after the last key of the previous one (keyset pagination). The first chunk is read on
 * {@code prefetch} from construction on, and while the caller consumes one chunk the next one is read there
 * (the connection is only ever used by one thread at a time), so at most two chunks are held. A reader must
 * be read to its end before its connection is used for anything else.
 */
final class RangeReader {
    private final KeyedTable table;
    private final Connection connection;
    private final List<Object> hi;
    private final int chunk;
    private final ExecutorService prefetch;
    private ArrayDeque<Row> buffer = new ArrayDeque<>();
    private Future<ArrayDeque<Row>> pending;
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
    Row next() throws SQLException {
        if (buffer.isEmpty()) {
            if (pending != null) {
                buffer = await(pending);
                pending = null;
            }
            if (!exhausted) {
                pending = prefetch.submit(this::load);
            }
        }
        Row row = buffer.poll();
        if (row != null) {
            rows++;
        }
        return row;
    }

    long rowsRead() {
        return rows;
    }

    private ArrayDeque<Row> load() throws SQLException {
        ArrayDeque<Row> out = new ArrayDeque<>(chunk);
        try (PreparedStatement ps = connection.prepareStatement(table.selectRange(after, hi, chunk))) {
            table.bindRange(ps, 1, after, hi);
            try (ResultSet rs = ps.executeQuery()) {
                Row last = null;
                while (rs.next()) {
                    last = table.read(rs);
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

    private static ArrayDeque<Row> await(Future<ArrayDeque<Row>> f) throws SQLException {
        return Futures.await(f, "reading");
    }
}
