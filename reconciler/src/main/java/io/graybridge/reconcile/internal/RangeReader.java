package io.graybridge.reconcile.internal;

import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Reads the rows of one key range of a table in key order, {@code chunk} rows per query, each query
 * starting after the last key of the previous one (keyset pagination). Holds at most one chunk.
 */
final class RangeReader {
    private final PgTable table;
    private final Connection connection;
    private final List<Object> hi;
    private final int chunk;
    private final ArrayDeque<Row> buffer = new ArrayDeque<>();
    private List<Object> after;
    private boolean exhausted;
    private long rows;

    RangeReader(PgTable table, Connection connection, List<Object> lo, List<Object> hi, int chunk) {
        this.table = table;
        this.connection = connection;
        this.after = lo;
        this.hi = hi;
        this.chunk = chunk;
    }

    /** The next row, or {@code null} at the end of the range. */
    Row next() throws SQLException {
        if (buffer.isEmpty() && !exhausted) {
            fill();
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

    private void fill() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(table.selectRange(after, hi, chunk))) {
            table.bindRange(ps, 1, after, hi);
            try (ResultSet rs = ps.executeQuery()) {
                Row last = null;
                while (rs.next()) {
                    last = table.read(rs);
                    buffer.add(last);
                }
                if (buffer.size() < chunk) {
                    exhausted = true;
                }
                if (last != null) {
                    after = table.keyOf(last);
                }
            }
        }
    }
}
