package io.graybridge.reconcile.internal;

import io.graybridge.reconcile.Equivalence;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Chunk checksums inside MariaDB, on both sides (a MariaDB v1 and a MariaDB v2; PostgreSQL computes other
 * hashes, so a cross-engine pair takes the slow path).
 *
 * <p>Each side builds, per row, a canonical text of the compared (v2) columns in name order (the v1 side
 * applies the mapping's rules in SQL as {@link PgPushdown} does: {@code cents / 100}, a default's literal),
 * each value as {@code <length>:<text>} or {@code N} for NULL, so no two different rows share a text:
 * numbers without trailing fractional zeros ({@code 1.50} and {@code 1.5} alike), floats with {@code -0} as
 * {@code 0}, {@code DATETIME} with six fractional digits, {@code TIMESTAMP} as Unix seconds (an instant),
 * {@code TINYINT(1)} as 0/1, binary as hex, text as it is ({@code NULLIF(text, '')} when NULL equals ''). The
 * row's hash is the first 64 bits of the MD5 of that text ({@code CONV(LEFT(MD5(..), 16), 16, 10)}); a chunk's
 * checksum is their exact {@code SUM}. Equal texts mean values the Java comparison calls equal; equal values
 * with different texts (two fractional precisions of one instant) only make the chunk's rows be read.
 *
 * <p>A chunk's end is found by {@code ORDER BY key LIMIT 1 OFFSET n-1}. With a single signed integer key,
 * the counts and checksums of a slice of chunks come from one grouped query per side ({@code INTERVAL} of
 * the key over the chunk ends, {@link #sliceSums}); other keys are walked chunk by chunk, each chunk a range
 * scan of the key index.
 */
final class MariaDbPushdown extends Pushdown {
    private final MariaDbTable v1;
    private final MariaDbTable v2;
    private final String v1Hash;
    private final String v2Hash;

    private MariaDbPushdown(MariaDbTable v1, MariaDbTable v2, String v1Hash, String v2Hash) {
        this.v1 = v1;
        this.v2 = v2;
        this.v1Hash = v1Hash;
        this.v2Hash = v2Hash;
    }

    /** The plan for two MariaDB tables and their compared columns (in v2 name order). */
    static Planned plan(MariaDbTable v1, MariaDbTable v2, List<Compared> compared, Equivalence eq) {
        List<String> t1 = new ArrayList<>();
        List<String> t2 = new ArrayList<>();
        for (Compared c : compared) {
            String v1Expr;
            if (c.v1Column() == null) {
                v1Expr = literal(c.defaultValue());
            } else if (c.cents()) {
                v1Expr = "(" + v1.quoteId(c.v1Column().name()) + " / 100)";
            } else {
                v1Expr = v1.quoteId(c.v1Column().name());
            }
            t1.add(token(v1Expr, c.kind(), eq));
            t2.add(token(v2.quoteId(c.v2Column().name()), c.kind(), eq));
        }
        return new Planned(new MariaDbPushdown(v1, v2, rowHash(t1), rowHash(t2)), null);
    }

    /** The 64-bit hash of a row's tokens (as an unsigned integer, so their SUM is exact). */
    static String rowHash(List<String> tokens) {
        return "CAST(CONV(LEFT(MD5(CONCAT_WS('|', " + String.join(", ", tokens) + ")), 16), 16, 10) AS UNSIGNED)";
    }

    /** {@code <length>:<canonical text>}, or {@code N} for NULL. */
    static String token(String expr, Column.Kind kind, Equivalence eq) {
        String text = canonicalText(expr, kind, eq);
        return "COALESCE(CONCAT(CHAR_LENGTH(" + text + "), ':', " + text + "), 'N')";
    }

    /** The canonical text of {@code expr} as a value of {@code kind}; NULL stays NULL. */
    static String canonicalText(String expr, Column.Kind kind, Equivalence eq) {
        return switch (kind) {
            case DECIMAL -> {
                String t = "CAST(" + expr + " AS CHAR)";
                yield "IF(LOCATE('.', " + t + ") > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM " + t + ")), " + t + ")";
            }
            case FLOAT -> "IF(" + expr + " = 0, '0', CAST(" + expr + " AS CHAR))";
            case TEXT, CHAR -> eq.nullEqualsEmpty() ? "NULLIF(" + expr + ", '')" : expr;
            case BOOL -> "CASE WHEN " + expr + " IS NULL THEN NULL WHEN " + expr + " THEN '1' ELSE '0' END";
            case TIMESTAMP -> "DATE_FORMAT(" + expr + ", '%Y-%m-%d %H:%i:%s.%f')";
            case TIMESTAMPTZ -> "CAST(UNIX_TIMESTAMP(" + expr + ") AS CHAR)";
            case BYTEA -> "HEX(" + expr + ")";
            case UUID -> "LOWER(CAST(" + expr + " AS CHAR))";
            default -> "CAST(" + expr + " AS CHAR)";
        };
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigDecimal) {
            return value.toString();
        }
        return "'" + value.toString().replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private String keyList(MariaDbTable t) {
        return t.key().stream().map(k -> t.quoteId(k.name())).collect(Collectors.joining(", "));
    }

    /** The key {@code limit} rows after {@code lo} (within {@code hi}), or {@code null} when there are fewer. */
    private List<Object> end(Connection c, List<Object> lo, List<Object> hi, int limit) throws SQLException {
        String sql = "SELECT " + keyList(v1) + " FROM " + v1.from() + " WHERE " + v1.rangePredicate(lo, hi)
                + " ORDER BY " + v1.keyOrder() + " LIMIT 1 OFFSET " + (limit - 1);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            v1.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<Object> key = new ArrayList<>();
                for (int i = 0; i < v1.key().size(); i++) {
                    key.add(v1.value(rs, i + 1, v1.key().get(i).kind()));
                }
                return key;
            }
        }
    }

    private Sum sum(Connection c, MariaDbTable t, String hash, List<Object> lo, List<Object> hi, List<Object> last)
            throws SQLException {
        String sql = "SELECT count(*), CAST(SUM(" + hash + ") AS CHAR) FROM " + t.from() + " WHERE " + t.rangePredicate(lo, hi);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            t.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Sum(rs.getLong(1), rs.getString(2), last);
            }
        }
    }

    /** Key kinds whose {@code MAX()} is the last key in the key order (a key ordered as it is, not cast). */
    private static final java.util.Set<Column.Kind> MAX_KEYS = java.util.EnumSet.of(Column.Kind.INTEGER,
            Column.Kind.DECIMAL, Column.Kind.DATE, Column.Kind.TIMESTAMP, Column.Kind.TIME);

    @Override
    Sum v1Chunk(Connection c, List<Object> lo, List<Object> hi, int limit) throws SQLException {
        Column k = v1.key().get(0);
        if (v1.key().size() == 1 && !k.collatable() && MAX_KEYS.contains(k.kind())) {
            // one pass: the chunk's first rows in key order, their count, checksum and largest key
            String sql = "SELECT count(*), CAST(SUM(gb_h) AS CHAR), MAX(gb_k) FROM (SELECT " + v1Hash + " AS gb_h, "
                    + v1.quoteId(k.name()) + " AS gb_k FROM " + v1.from() + " WHERE " + v1.rangePredicate(lo, hi)
                    + " ORDER BY " + v1.keyOrder() + " LIMIT " + limit + ") x";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                v1.bindRange(ps, 1, lo, hi);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long count = rs.getLong(1);
                    List<Object> last = count > 0 ? List.of(v1.value(rs, 3, k.kind())) : null;
                    return new Sum(count, rs.getString(2), last);
                }
            }
        }
        List<Object> last = end(c, lo, hi, limit);
        return sum(c, v1, v1Hash, lo, last != null ? last : hi, last);
    }

    @Override
    Sum v1Bounds(Connection c, List<Object> lo, int limit) throws SQLException {
        List<Object> last = end(c, lo, null, limit);
        return new Sum(last == null ? 0 : limit, null, last);
    }

    @Override
    Sum v2Chunk(Connection c, List<Object> lo, List<Object> hi) throws SQLException {
        return sum(c, v2, v2Hash, lo, hi, null);
    }

    @Override
    Sum rangeSum(Connection c, boolean v1Side, List<Object> lo, List<Object> hi) throws SQLException {
        return v1Side ? sum(c, v1, v1Hash, lo, hi, null) : sum(c, v2, v2Hash, lo, hi, null);
    }

    /**
     * Slices need a bucket function MariaDB has: {@code INTERVAL(key, t1, t2, ...)}, the number of sorted
     * thresholds at or below the key, compared as integers when all are integers; so a single signed integer
     * key column (an unsigned {@code BIGINT} reads as a decimal and keeps the per-chunk walk).
     */
    @Override
    boolean sliceable() {
        return v1.key().size() == 1 && v2.key().size() == 1 && v1.key().get(0).kind() == Column.Kind.INTEGER
                && v2.key().get(0).kind() == Column.Kind.INTEGER;
    }

    /** Up to {@code chunks} v1 chunk ends after {@code lo}, each found from the previous one ({@link #end}). */
    @Override
    List<Bound> v1ChunkEnds(Connection c, List<Object> lo, int chunkRows, int chunks) throws SQLException {
        List<Bound> ends = new ArrayList<>();
        List<Object> from = lo;
        while (ends.size() < chunks) {
            List<Object> end = end(c, from, null, chunkRows);
            if (end == null) {
                break;
            }
            ends.add(new Bound(end, end.get(0).toString()));
            from = end;
        }
        return ends;
    }

    /**
     * Count and checksum per chunk of range {@code (lo, hi]} on one side in one grouped query: chunk {@code i}
     * is {@code (ends[i-1], ends[i]]}, the number of ends below the key, which is {@code INTERVAL} of the key
     * over each end plus one (integers). An end at the type's largest value has nothing above it and is left
     * out (no overflow). InnoDB reads the range along its clustered primary key.
     */
    @Override
    Map<Integer, Sum> sliceSums(Connection c, boolean v1Side, List<Object> lo, List<Object> hi, List<Bound> ends)
            throws SQLException {
        MariaDbTable t = v1Side ? v1 : v2;
        StringBuilder thresholds = new StringBuilder();
        for (Bound b : ends) {
            long end = ((Number) b.key().get(0)).longValue();
            if (end != Long.MAX_VALUE) {
                thresholds.append(", ").append(end + 1);
            }
        }
        String bucket = thresholds.length() == 0 ? "0" : "INTERVAL(" + t.quoteId(t.key().get(0).name()) + thresholds + ")";
        String sql = "SELECT " + bucket + " AS gb_b, count(*), CAST(SUM(" + (v1Side ? v1Hash : v2Hash) + ") AS CHAR) FROM "
                + t.from() + " WHERE " + t.rangePredicate(lo, hi) + " GROUP BY gb_b";
        Map<Integer, Sum> sums = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            t.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getInt(1), new Sum(rs.getLong(2), rs.getString(3), null));
                }
            }
        }
        return sums;
    }

    /** For tests and docs: the row hash expressions of both sides. */
    String[] rowHashes() {
        return new String[] {v1Hash, v2Hash};
    }
}
