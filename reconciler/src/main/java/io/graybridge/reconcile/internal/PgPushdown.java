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
 * Chunk checksums inside PostgreSQL, on both sides.
 *
 * <p>Each side computes, per row, a 64-bit hash of the compared (v2) columns in name order: the v1 side
 * applies the mapping's rules in SQL (rename: the v1 column; {@code cents-to-decimal}: {@code cents * 0.01};
 * default: the literal cast to the v2 type; drop: left out; pass-through: the column), then each value is
 * hashed by its type's own extended hash function, the ones PostgreSQL's hash partitioning uses and so keeps
 * stable across versions: {@code hashint8extended} for integers, {@code hash_numeric_extended} for numbers
 * (equal values hash equally whatever their scale: {@code 1.5 = 1.50}), {@code hashfloat8extended}
 * ({@code -0.0 = 0}), {@code timestamp_hash_extended} ({@code timestamptz} in UTC), {@code uuid_hash_extended},
 * {@code hashbpcharextended} for a bare {@code char(n)} column (padding ignored: the same hash as the unpadded
 * text's), {@code hashtextextended} of the text ({@code COLLATE "C"}) for text and for every other type.
 *
 * <p>The values are chained through the seeds: each value is hashed with the row's hash so far as its seed
 * (the first with 0), so a row costs one hash call per value, and every value sees all 64 bits of what came
 * before. What the functions leave out goes into the seed: a NULL flag (NULL is hashed as a stand-in value
 * with another seed, so NULL, {@code ''} and 0 stay apart), a decimal's sign ({@code hash_numeric_extended}
 * hashes {@code -1.5} as {@code 1.5}), and an integer itself ({@code hashint8extended} folds its value argument
 * to 32 bits, so that -1 and 2^32 - 1 would hash alike). Integer cents into a {@code numeric(p, s)} column
 * whose values times 100 are all exact {@code bigint}s are compared as integer cents ({@code balance * 100}
 * on v2, the cents as they are on v1: no numeric arithmetic on v1), hashed first, as the seed.
 *
 * <p>A chunk's checksum is the sum of its rows' hashes: no sort, no text built per row, and each row's hash
 * covers its key, so the sum covers which key holds which values. Two chunks with equal counts and checksums
 * hold the same rows through the mapping, under the same {@link Equivalence} as the Java comparison (up to a
 * 64-bit hash collision; timestamps, dates and times are hashed by PostgreSQL's own functions, which fold a
 * timestamp's 64 bits to 32). See docs/benchmarks-reconciler.md for what each choice costs.
 */
final class PgPushdown extends Pushdown {
    /** Key types whose {@code max()} is the last key in key order (cheaper than sorting for it). */
    private static final java.util.Set<Column.Kind> MAX_KEYS = java.util.EnumSet.of(Column.Kind.INTEGER,
            Column.Kind.DECIMAL, Column.Kind.TEXT, Column.Kind.CHAR, Column.Kind.DATE, Column.Kind.TIMESTAMP,
            Column.Kind.TIMESTAMPTZ, Column.Kind.TIME);

    private final PgTable v1;
    private final PgTable v2;
    private final String v1Text;
    private final String v2Text;

    /** What to tell when v2's integer cents column holds NaN, or {@code null} without such a column. */
    private final String nanHint;

    private PgPushdown(PgTable v1, PgTable v2, String v1Text, String v2Text, String nanHint) {
        this.nanHint = nanHint;
        this.v1 = v1;
        this.v2 = v2;
        this.v1Text = v1Text;
        this.v2Text = v2Text;
    }

    /** A chunk's checksum over the row hashes {@code r}: order-free, so the query needs no sort for it. */
    private static final String CHECKSUM = "sum(gb_row_hash)::text";

    /** XORed into a value's seed when the value is NULL (its hash is then that of a stand-in value). */
    private static final String NULL_FLAG = "4::int8";

    /** XORed into a decimal's seed when it is negative ({@code hash_numeric_extended} ignores the sign). */
    private static final String NEGATIVE_FLAG = "2::int8";

    /** The plan for two PostgreSQL tables and their compared columns (in v2 name order). */
    static Planned plan(PgTable v1, PgTable v2, List<Compared> compared, Equivalence eq) {
        // integer cents into a numeric(p, s <= 2) column are compared as integer cents (cheaper than numeric
        // arithmetic on v1); the first such column is hashed first, with its value as the seed (all 64 bits)
        Compared cents = compared.stream().filter(PgPushdown::centsAsInteger).findFirst().orElse(null);
        String h1 = "0";
        String h2 = "0";
        if (cents != null) {
            String c1 = PgTable.quote(cents.v1Column().name());
            String c2 = PgTable.quote(cents.v2Column().name());
            h1 = integerFirst(c1, c1, !v1.notNull(cents.v1Column()));
            h2 = integerFirst("(" + c2 + " * 100)::int8", c2, !v2.notNull(cents.v2Column()));
        }
        for (Compared c : compared) {
            if (c == cents) {
                continue;
            }
            String v1Expr;
            String v1Raw;
            boolean v1Nullable;
            if (c.v1Column() == null) {
                v1Expr = "CAST(" + literal(c.defaultValue()) + " AS " + c.v2Column().sqlType() + ")";
                v1Raw = v1Expr;
                v1Nullable = c.defaultValue() == null;
            } else {
                v1Raw = PgTable.quote(c.v1Column().name());
                v1Nullable = !v1.notNull(c.v1Column());
                // times 0.01 rather than divided by 100: the same exact number, and numeric multiplication costs
                // less than numeric division
                v1Expr = c.cents() ? "(" + v1Raw + "::numeric * 0.01)" : v1Raw;
            }
            // a bare char(n) column is hashed as it is (hashbpcharextended ignores the padding), not cast to text
            Column v1Bare = c.v1Column() != null && !c.cents() ? c.v1Column() : null;
            String v2Col = PgTable.quote(c.v2Column().name());
            h1 = valueHash(v1Expr, v1Raw, v1Nullable, v1Bare, c.kind(), eq, h1);
            h2 = valueHash(v2Col, v2Col, !v2.notNull(c.v2Column()), c.v2Column(), c.kind(), eq, h2);
        }
        String nanHint = cents == null ? null : "v2 column " + v2.qualifiedName() + "." + cents.v2Column().name()
                + " holds NaN, which no cents of v1 column " + v1.qualifiedName() + "." + cents.v1Column().name()
                + " translate to (the slow path cannot read it either); find the rows with SELECT * FROM "
                + v2.qualifiedName() + " WHERE " + PgTable.quote(cents.v2Column().name()) + " = 'NaN' and correct them";
        return new Planned(new PgPushdown(v1, v2, h1, h2, nanHint), null);
    }

    /**
     * Whether {@code c} is integer cents into a {@code numeric(p, s)} column whose every value times 100 is an exact
     * {@code bigint}: {@code s <= 2} and {@code p - s <= 16} (so no value needs a guard; NaN, the one value that is
     * not, fails the statement, as the slow path fails to read it).
     */
    static boolean centsAsInteger(Compared c) {
        if (!c.cents() || c.v2Column().kind() != Column.Kind.DECIMAL) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("numeric\\((\\d+),(-?\\d+)\\)")
                .matcher(c.v2Column().sqlType());
        if (!m.matches()) {
            return false;
        }
        int precision = Integer.parseInt(m.group(1));
        int scale = Integer.parseInt(m.group(2));
        return scale <= 2 && precision - scale <= 16;
    }

    /**
     * The first value of the row hash when it is an integer: the value is the seed of {@code hashint8extended}, which
     * mixes all 64 bits of a seed (its value argument is folded to 32 bits), the NULL flag its value.
     */
    private static String integerFirst(String value, String raw, boolean nullable) {
        return nullable ? "hashint8extended(CASE WHEN " + raw + " IS NULL THEN " + NULL_FLAG + " ELSE 0::int8 END, coalesce(" + value
                + ", 0))"
                : "hashint8extended(0, " + value + ")";
    }

    /** The standalone hash of {@code expr} (seed 0, nullable), equal for values that compare equal as a {@code kind}. */
    static String valueHash(String expr, Column.Kind kind, Equivalence eq) {
        return valueHash(expr, expr, true, null, kind, eq, "0");
    }

    /** The standalone hash of {@code expr} (seed 0, nullable); {@code bare}: the column when {@code expr} is just it. */
    static String valueHash(String expr, Column bare, Column.Kind kind, Equivalence eq) {
        return valueHash(expr, expr, true, bare, kind, eq, "0");
    }

    /**
     * The 64-bit hash of {@code expr} seeded with {@code seed} (the row hash so far), equal for values that
     * compare equal as a column of {@code kind} and never NULL. {@code raw} is a cheap expression that is NULL
     * exactly when {@code expr} is and has its sign (the v1 column behind a conversion); {@code nullable} whether it
     * may be NULL (a NOT NULL column needs no NULL test); {@code bare} the column when {@code expr} is just that
     * column ({@code null} otherwise).
     *
     * <p>Each type's own extended hash function hashes the value with the running row hash as its seed, so the
     * row's values are chained in column order with no call of their own, and every value sees all 64 bits of the
     * hash so far. A NULL is hashed as a stand-in value of its type with {@link #NULL_FLAG} XORed into the seed, so
     * it differs from every value, {@code ''} and 0 included (unless {@code reconcile.null-equals-empty}, where
     * {@code ''} is NULL). Integers are XORed into their own seed too ({@code hashint8extended} folds its value
     * argument to 32 bits, the seed keeps all 64); decimals get {@link #NEGATIVE_FLAG} in the seed when negative,
     * because {@code hash_numeric_extended} hashes {@code 1.5} and {@code -1.5} alike (it also ignores scale:
     * {@code 1.5 = 1.50}). Text is hashed by its bytes ({@code COLLATE "C"}: a nondeterministic collation would
     * hash {@code 'a'} and {@code 'A'} alike). A bare {@code char(n)} column goes to {@code hashbpcharextended},
     * which hashes the value without its trailing blanks exactly as {@code hashtextextended} hashes that text, with
     * any seed (so either side may be {@code char(n)}, text or both), without a cast.
     */
    static String valueHash(String expr, String raw, boolean nullable, Column bare, Column.Kind kind, Equivalence eq,
            String seed) {
        boolean textual = kind == Column.Kind.TEXT || kind == Column.Kind.CHAR;
        boolean bpchar = textual && bare != null && bare.kind() == Column.Kind.CHAR && !eq.nullEqualsEmpty();
        String value = textual && !bpchar ? "(" + expr + ")::text COLLATE \"C\"" : expr;
        String nullTest = raw;
        if (textual && eq.nullEqualsEmpty()) {
            value = "nullif(" + value + ", '')";
            nullTest = value;
            nullable = true;
        }
        String flags = nullable ? xor(seed, "CASE WHEN " + nullTest + " IS NULL THEN " + NULL_FLAG + " ELSE 0::int8 END") : seed;
        return switch (kind) {
            case INTEGER -> {
                String v = stand("(" + value + ")::int8", "0", nullable);
                yield "hashint8extended(" + v + ", " + xor(flags, v) + ")";
            }
            case DECIMAL -> "hash_numeric_extended(" + stand("(" + value + ")::numeric", "0", nullable) + ", "
                    + xor(flags, "CASE WHEN " + raw + " < 0 THEN " + NEGATIVE_FLAG + " ELSE 0::int8 END") + ")";
            case FLOAT -> "hashfloat8extended(" + stand("(" + value + ")::float8", "0", nullable) + ", " + flags + ")";
            case TEXT, CHAR -> bpchar
                    ? "hashbpcharextended(" + stand(value, "''", nullable) + " COLLATE \"C\", " + flags + ")"
                    : "hashtextextended(" + stand(value, "''", nullable) + ", " + flags + ")";
            case TIMESTAMP -> "timestamp_hash_extended(" + stand("(" + value + ")::timestamp", "'epoch'", nullable) + ", "
                    + flags + ")";
            case TIMESTAMPTZ -> "timestamp_hash_extended(" + stand("(" + value + ")::timestamptz AT TIME ZONE 'UTC'",
                    "'epoch'", nullable) + ", " + flags + ")";
            case UUID -> "uuid_hash_extended(" + stand("(" + value + ")::uuid",
                    "'00000000-0000-0000-0000-000000000000'", nullable) + ", " + flags + ")";
            case BYTEA -> "hashtextextended(" + stand("encode(" + value + ", 'hex')", "''", nullable) + ", " + flags + ")";
            default -> "hashtextextended(" + stand("(" + value + ")::text", "''", nullable) + ", " + flags + ")";
        };
    }

    /** {@code value}, or {@code standIn} where it is NULL (its NULL flag tells the two apart). */
    private static String stand(String value, String standIn, boolean nullable) {
        return nullable ? "coalesce(" + value + ", " + standIn + ")" : value;
    }

    /** {@code a # b} on {@code bigint}s, leaving out a literal 0. */
    private static String xor(String a, String b) {
        return a.equals("0") ? b : "(" + a + ") # " + b;
    }

    static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean || value instanceof Long || value instanceof Integer || value instanceof BigDecimal) {
            return "'" + value + "'";
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }

    /** v1's next chunk: at most {@code limit} rows of {@code (lo, hi]}, with its last key. */
    @Override
    Sum v1Chunk(Connection c, List<Object> lo, List<Object> hi, int limit) throws SQLException {
        String keys = v1.key().stream().map(k -> PgTable.quote(k.name())).collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder("SELECT count(*), ").append(CHECKSUM);
        if (v1.key().size() == 1 && MAX_KEYS.contains(v1.key().get(0).kind())) {
            sql.append(", max(").append(PgTable.orderedColumn(v1.key().get(0))).append(')');
        } else {
            for (Column k : v1.key()) {
                sql.append(", (array_agg(").append(PgTable.quote(k.name())).append(" ORDER BY ")
                        .append(descending(v1)).append("))[1]");
            }
        }
        sql.append(" FROM (SELECT ").append(v1Text).append(" AS gb_row_hash, ").append(keys).append(" FROM ").append(v1.from())
                .append(" WHERE ").append(v1.rangePredicate(lo, hi)).append(" ORDER BY ").append(v1.keyOrder())
                .append(" LIMIT ").append(limit).append(") x");
        return sum(c, sql.toString(), lo, hi);
    }

    /** v1's next chunk after {@code lo}: its count and last key only (an index scan of the keys, no checksum). */
    @Override
    Sum v1Bounds(Connection c, List<Object> lo, int limit) throws SQLException {
        String keys = v1.key().stream().map(k -> PgTable.quote(k.name())).collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder("SELECT count(*), NULL");
        for (Column k : v1.key()) {
            sql.append(", (array_agg(").append(PgTable.quote(k.name())).append(" ORDER BY ")
                    .append(descending(v1)).append("))[1]");
        }
        sql.append(" FROM (SELECT ").append(keys).append(" FROM ").append(v1.from()).append(" WHERE ")
                .append(v1.rangePredicate(lo, null)).append(" ORDER BY ").append(v1.keyOrder()).append(" LIMIT ")
                .append(limit).append(") x");
        return sum(c, sql.toString(), lo, null);
    }

    /** Runs a v1 chunk query over {@code (lo, hi]}: count, checksum (or NULL), then the last key's columns. */
    private Sum sum(Connection c, String sql, List<Object> lo, List<Object> hi) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            v1.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = query(ps)) {
                rs.next();
                long count = rs.getLong(1);
                List<Object> last = null;
                if (count > 0) {
                    last = new ArrayList<>();
                    for (int i = 0; i < v1.key().size(); i++) {
                        last.add(KeyedTable.canonical(rs, 3 + i, v1.key().get(i).kind()));
                    }
                }
                return new Sum(count, rs.getString(2), last);
            }
        }
    }

    /** v2's chunk {@code (lo, hi]}. */
    @Override
    Sum v2Chunk(Connection c, List<Object> lo, List<Object> hi) throws SQLException {
        String keys = v2.key().stream().map(k -> PgTable.quote(k.name())).collect(Collectors.joining(", "));
        String sql = "SELECT count(*), " + CHECKSUM + " FROM (SELECT "
                + v2Text + " AS gb_row_hash, " + keys + " FROM " + v2.from() + " WHERE " + v2.rangePredicate(lo, hi) + ") x";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            v2.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = query(ps)) {
                rs.next();
                return new Sum(rs.getLong(1), rs.getString(2), null);
            }
        }
    }

    /** One side's count and checksum of {@code (lo, hi]}: a plain aggregate over the rows, no subquery, no grouping. */
    @Override
    Sum rangeSum(Connection c, boolean v1Side, List<Object> lo, List<Object> hi) throws SQLException {
        PgTable t = v1Side ? v1 : v2;
        String sql = "SELECT count(*), sum(" + (v1Side ? v1Text : v2Text) + ")::text FROM " + t.from() + " WHERE "
                + t.rangePredicate(lo, hi);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            t.bindRange(ps, 1, lo, hi);
            try (ResultSet rs = query(ps)) {
                rs.next();
                return new Sum(rs.getLong(1), rs.getString(2), null);
            }
        }
    }

    /**
     * Whether chunk checksums can be computed a slice at a time ({@link #v1ChunkEnds}, {@link #sliceSums}):
     * a single-column key whose order is the same in SQL ({@code width_bucket} with {@code COLLATE "C"}) and
     * in {@link KeyOrder}.
     */
    @Override
    boolean sliceable() {
        return v1.key().size() == 1 && v2.key().size() == 1 && MAX_KEYS.contains(v1.key().get(0).kind());
    }

    /**
     * Up to {@code chunks} v1 chunk ends after {@code lo}: every {@code chunkRows}-th key, in one statement
     * that steps from end to end through the key index (each step starts after the previous end and skips
     * {@code chunkRows - 1} index entries: an index-only scan, about the cost of a {@code count(*)}).
     */
    @Override
    List<Bound> v1ChunkEnds(Connection c, List<Object> lo, int chunkRows, int chunks) throws SQLException {
        Column k = v1.key().get(0);
        String key = PgTable.quote(k.name());
        String sql = "WITH RECURSIVE b(k, n) AS (SELECT (SELECT " + key + " FROM " + v1.from() + " WHERE "
                + v1.rangePredicate(lo, null) + " ORDER BY " + v1.keyOrder() + " OFFSET " + (chunkRows - 1)
                + " LIMIT 1), 1 UNION ALL SELECT (SELECT " + key + " FROM " + v1.from() + " WHERE "
                + PgTable.orderedColumn(k) + " > b.k ORDER BY " + v1.keyOrder() + " OFFSET " + (chunkRows - 1)
                + " LIMIT 1), n + 1 FROM b WHERE b.k IS NOT NULL AND n < " + chunks + ")"
                + " SELECT k, k::text FROM b WHERE k IS NOT NULL ORDER BY n";
        List<Bound> ends = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            v1.bindRange(ps, 1, lo, null);
            try (ResultSet rs = query(ps)) {
                while (rs.next()) {
                    ends.add(new Bound(List.of(KeyedTable.canonical(rs, 1, k.kind())), rs.getString(2)));
                }
            }
        }
        return ends;
    }

    /**
     * Count and checksum per chunk of range {@code (lo, hi]} on one side, in one pass over the range: chunk
     * {@code i} is {@code (ends[i-1], ends[i]]} (chunk 0 starts at {@code lo}, the last ends at {@code hi}).
     * {@code width_bucket} counts the ends at or below a key; a key that is itself an end belongs to the chunk
     * it ends, hence the {@code - 1}. The database reads the range sequentially (no per-chunk index scans).
     */
    @Override
    Map<Integer, Sum> sliceSums(Connection c, boolean v1Side, List<Object> lo, List<Object> hi, List<Bound> ends)
            throws SQLException {
        PgTable t = v1Side ? v1 : v2;
        Column k = t.key().get(0);
        String ordered = PgTable.orderedColumn(k);
        String array = "CAST(CAST(? AS text[]) AS " + k.typeName() + "[])";
        // OFFSET 0 keeps the subquery a subquery: width_bucket runs once per row, and the planner estimates a
        // few hundred groups (a hash aggregate) instead of one per row (which may choose to sort the range).
        // The bucket is worked out in the grouping query itself (one subquery level, not two: each level
        // costs a projection per row)
        String bucket = ends.isEmpty() ? "0"
                : "CASE WHEN gb_bucket > 0 AND (" + array + ")[gb_bucket] = gb_key THEN gb_bucket - 1 ELSE gb_bucket END";
        String sql = "SELECT " + bucket + " AS b, count(*), " + CHECKSUM + " FROM (SELECT "
                + (v1Side ? v1Text : v2Text) + " AS gb_row_hash, " + PgTable.quote(k.name()) + " AS gb_key"
                + (ends.isEmpty() ? "" : ", width_bucket(" + ordered + ", " + array + ") AS gb_bucket") + " FROM "
                + t.from() + " WHERE " + t.rangePredicate(lo, hi) + " OFFSET 0) x GROUP BY 1";
        Map<Integer, Sum> sums = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (!ends.isEmpty()) {
                java.sql.Array texts = c.createArrayOf("text", ends.stream().map(Bound::text).toArray());
                ps.setArray(i++, texts);
                ps.setArray(i++, texts);
            }
            t.bindRange(ps, i, lo, hi);
            try (ResultSet rs = query(ps)) {
                while (rs.next()) {
                    sums.put(rs.getInt(1), new Sum(rs.getLong(2), rs.getString(3), null));
                }
            }
        }
        return sums;
    }

    /** Runs {@code ps}; a NaN in v2's integer cents column ("cannot convert NaN to bigint") is named. */
    private ResultSet query(PreparedStatement ps) throws SQLException {
        try {
            return ps.executeQuery();
        } catch (SQLException e) {
            if (nanHint != null && e.getMessage() != null && e.getMessage().contains("cannot convert NaN to bigint")) {
                throw new SQLException(nanHint, e.getSQLState(), e);
            }
            throw e;
        }
    }

    private static String descending(PgTable t) {
        return t.key().stream().map(k -> PgTable.orderedColumn(k) + " DESC").collect(Collectors.joining(", "));
    }

    /** For tests and docs: the row hash expressions of both sides. */
    String[] rowTexts() {
        return new String[] {v1Text, v2Text};
    }
}
