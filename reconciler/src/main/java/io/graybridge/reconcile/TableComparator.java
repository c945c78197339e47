package io.graybridge.reconcile;

import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.mapping.Values;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Compares one mapped table between v1 and v2: reads both sides in primary-key order, in keyset-paged
 * chunks, translates each v1 row forward through the mapping and compares it column by column with the
 * v2 row of the same key. Only the columns the mapping produces are compared.
 *
 * <p>This first version holds one side's translated rows in memory while it reads the other, so it
 * suits tables up to a few million rows; chunk checksums computed inside the databases replace it for
 * larger tables.
 */
public final class TableComparator {
    private static final int CHUNK = 5_000;

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
            key = List.copyOf(key);
        }
    }

    private TableComparator() {}

    /**
     * Compares {@code v1} translated forward with {@code v2}.
     *
     * @param sampleLimit at most this many differing keys are described in {@link TableComparison#samples()}
     */
    public static TableComparison compare(TableMapping mapping, SideTable v1, SideTable v2, int sampleLimit) {
        long start = System.nanoTime();
        Map<Row, Row> expected = new HashMap<>();
        long[] v1Rows = {0};
        read(v1, row -> {
            v1Rows[0]++;
            Row translated = mapping.translate(Direction.FORWARD, row);
            expected.put(key(translated, v2.key()), translated);
        });
        long[] counts = new long[4]; // v2 rows, matched, extra, mismatched
        Map<String, Long> byColumn = new TreeMap<>();
        List<String> samples = new ArrayList<>();
        read(v2, actual -> {
            counts[0]++;
            Row key = key(actual, v2.key());
            Row want = expected.remove(key);
            if (want == null) {
                counts[2]++;
                sample(samples, sampleLimit, "extra on v2: " + key);
                return;
            }
            List<String> differing = new ArrayList<>();
            for (String column : want.columns()) {
                if (!Values.same(want.get(column), actual.get(column))) {
                    differing.add(column);
                    byColumn.merge(column, 1L, Long::sum);
                }
            }
            if (differing.isEmpty()) {
                counts[1]++;
            } else {
                counts[3]++;
                sample(samples, sampleLimit, "mismatch at " + key + ": " + differing.stream()
                        .map(c -> c + " v1->v2 " + Values.render(want.get(c)) + " vs v2 " + Values.render(actual.get(c)))
                        .collect(Collectors.joining("; ")));
            }
        });
        for (Row missing : expected.keySet()) {
            sample(samples, sampleLimit, "missing on v2: " + missing);
        }
        return new TableComparison(mapping.name(), v1Rows[0], counts[0], counts[1], expected.size(), counts[2],
                counts[3], byColumn, samples, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void sample(List<String> samples, int limit, String text) {
        if (samples.size() < limit) {
            samples.add(text);
        }
    }

    private static Row key(Row row, List<String> keyColumns) {
        Map<String, Object> key = new LinkedHashMap<>();
        keyColumns.forEach(k -> key.put(k, row.get(k)));
        return Row.of(key);
    }

    /** Reads every row of {@code side} in key order, {@value #CHUNK} rows per query (keyset pagination). */
    private static void read(SideTable side, Consumer<Row> sink) {
        String keyList = side.key().stream().map(TableComparator::quote).collect(Collectors.joining(", "));
        String from = "SELECT * FROM " + quote(side.schema()) + "." + quote(side.table());
        String first = from + " ORDER BY " + keyList + " LIMIT " + CHUNK;
        String next = from + " WHERE (" + keyList + ") > ("
                + side.key().stream().map(k -> "?").collect(Collectors.joining(", ")) + ") ORDER BY " + keyList
                + " LIMIT " + CHUNK;
        try {
            Jdbi.create(side.dataSource()).<SQLException>useHandle(h -> {
                Row last = null;
                while (true) {
                    int n = 0;
                    try (PreparedStatement ps = h.getConnection().prepareStatement(last == null ? first : next)) {
                        if (last != null) {
                            for (int i = 0; i < side.key().size(); i++) {
                                ps.setObject(i + 1, last.get(side.key().get(i)));
                            }
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            ResultSetMetaData md = rs.getMetaData();
                            while (rs.next()) {
                                Map<String, Object> values = new LinkedHashMap<>();
                                for (int i = 1; i <= md.getColumnCount(); i++) {
                                    values.put(md.getColumnName(i), JdbcValues.read(rs, i));
                                }
                                last = Row.of(values);
                                sink.accept(last);
                                n++;
                            }
                        }
                    }
                    if (n < CHUNK) {
                        return;
                    }
                }
            });
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE,
                    "cannot read " + side.schema() + "." + side.table() + " to compare it: " + e.getMessage(), e);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
