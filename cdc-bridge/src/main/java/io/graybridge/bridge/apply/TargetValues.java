package io.graybridge.bridge.apply;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The value a target column holds, in one Java form per column type, whichever engine the value came from:
 * the writer turns each translated value into it ({@link #forTarget}) and reads the target's current rows into
 * it ({@link #fromTarget}), so a change from another engine compares equal to the row it wrote, and binds it.
 *
 * <table>
 *   <caption>Forms by target column type</caption>
 *   <tr><th>target column</th><th>form</th><th>from</th></tr>
 *   <tr><td>PostgreSQL {@code boolean}</td><td>{@link Boolean}</td><td>a MariaDB {@code tinyint(1)} 0 or 1;
 *       any other number is rejected</td></tr>
 *   <tr><td>{@code bit(n)}, {@code bit varying} (both engines)</td><td>a string of {@code 0} and {@code 1}, the
 *       most significant bit first, {@code n} long</td><td>bits, a boolean (a {@code bit(1)})</td></tr>
 *   <tr><td>PostgreSQL array ({@code text[]})</td><td>{@link List}</td><td>a MariaDB {@code SET} value
 *       ({@code a,b}: a SET member cannot hold a comma), a JDBC array</td></tr>
 *   <tr><td>PostgreSQL {@code jsonb}</td><td>the JSON text with keys sorted and no spaces</td><td>any JSON
 *       text (jsonb keeps neither key order nor spaces)</td></tr>
 *   <tr><td>MariaDB {@code tinyint(1)}</td><td>a number</td><td>a boolean (1 or 0)</td></tr>
 *   <tr><td>MariaDB {@code set(...)}</td><td>the members joined by commas</td><td>a list</td></tr>
 *   <tr><td>MariaDB {@code timestamp}, {@code datetime}; PostgreSQL {@code timestamp} without time zone</td>
 *       <td>{@link LocalDateTime} in UTC (the bridge's MariaDB sessions run in UTC)</td>
 *       <td>an instant ({@code timestamptz}, MariaDB {@code TIMESTAMP}) at UTC</td></tr>
 *   <tr><td>PostgreSQL {@code timestamptz}</td><td>{@link OffsetDateTime}</td><td>a date-time without zone
 *       (MariaDB {@code DATETIME}, PostgreSQL {@code timestamp}) read as UTC</td></tr>
 * </table>
 * Other values pass unchanged. A value that has no exact form in its target column is a
 * {@link MappingException} naming the table, column and value (the lane dead-letters the row).
 */
public final class TargetValues {
    private TargetValues() {}

    /** {@code row} translated for {@code table} on {@code dialect}: each value in its column's form. */
    public static Row forTarget(Dialect dialect, TableInfo table, Row row) {
        if (row == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Object> e : row.asMap().entrySet()) {
            Optional<ColumnInfo> column = table.column(e.getKey());
            Object v = e.getValue();
            if (column.isPresent() && v != null) {
                try {
                    v = forColumn(dialect, column.get(), v);
                } catch (IllegalArgumentException bad) {
                    throw new MappingException(dialect.displayName() + " column " + table.qualifiedName() + "." + e.getKey()
                            + " (" + column.get().type() + ") cannot hold " + io.graybridge.mapping.Values.render(e.getValue())
                            + ": " + bad.getMessage());
                }
                changed |= v != e.getValue();
            }
            out.put(e.getKey(), v);
        }
        return changed ? Row.of(out) : row;
    }

    /**
     * The form of {@code value} for {@code column} on {@code dialect}.
     *
     * @throws IllegalArgumentException when the column cannot hold the value exactly (the message says why)
     */
    public static Object forColumn(Dialect dialect, ColumnInfo column, Object value) {
        if (value == null) {
            return null;
        }
        String t = column.type().toLowerCase(Locale.ROOT);
        if (t.startsWith("bit")) {
            return bits(t, value);
        }
        if (dialect == Dialect.POSTGRESQL) {
            if (t.equals("boolean")) {
                return bool(value);
            }
            if (t.equals("jsonb")) {
                return value instanceof String json ? jsonb(json) : value;
            }
            if (t.endsWith("[]")) {
                return list(value);
            }
            if (t.startsWith("timestamp") && t.contains("with time zone") && !t.contains("without")) {
                return value instanceof LocalDateTime local ? local.atOffset(ZoneOffset.UTC) : value;
            }
            if (t.startsWith("timestamp")) {
                return utcLocal(value);
            }
            return value;
        }
        if (t.startsWith("set(")) {
            return value instanceof List<?> members ? set(members) : value;
        }
        if (t.startsWith("tinyint(1)")) {
            // a number, as Debezium reads it; Connector/J reads it as a boolean
            return value instanceof Boolean b ? (short) (b ? 1 : 0) : value;
        }
        if (t.startsWith("timestamp") || t.startsWith("datetime")) {
            return utcLocal(value);
        }
        return value;
    }

    /** A value read from the target ({@code JdbcValues}) in its column's form, as {@link #forColumn} gives it. */
    public static Object fromTarget(Dialect dialect, ColumnInfo column, Object value) throws SQLException {
        if (value instanceof Array array) {
            Object elements = array.getArray();
            return elements instanceof Object[] objects ? Arrays.asList(objects) : value;
        }
        if (value instanceof byte[] bytes && column.type().toLowerCase(Locale.ROOT).startsWith("bit")) {
            return bits(column.type().toLowerCase(Locale.ROOT), bitsOfBigEndian(bytes));
        }
        return value == null ? null : forColumn(dialect, column, value);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * A JSON text in one form (keys sorted, no spaces, the last of duplicate keys): jsonb keeps neither the
     * text's key order nor its spaces, so {@code {"b":1, "a":2}} from MariaDB and {@code {"a": 2, "b": 1}} read
     * back from jsonb are one value. Text that is not JSON is left for PostgreSQL to reject.
     */
    static String jsonb(String json) {
        try {
            return JSON.writeValueAsString(JSON.readValue(json, Object.class));
        } catch (java.io.IOException e) {
            return json;
        }
    }

    private static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            BigDecimal d = new BigDecimal(n.toString());
            if (d.compareTo(BigDecimal.ZERO) == 0) {
                return false;
            }
            if (d.compareTo(BigDecimal.ONE) == 0) {
                return true;
            }
            throw new IllegalArgumentException("only 0 and 1 are booleans (a tinyint(1) holds -128..127); map the column"
                    + " to a number type on this side, or fix the value on the source");
        }
        if (value instanceof String s && (s.equals("0") || s.equals("1"))) {
            return s.equals("1");
        }
        throw new IllegalArgumentException("not a boolean");
    }

    /** The column's bits as {@code 0}/{@code 1}, most significant first, padded to the declared length. */
    private static String bits(String type, Object value) {
        String digits;
        if (value instanceof Boolean b) {
            digits = b ? "1" : "0";
        } else if (value instanceof String s && s.chars().allMatch(ch -> ch == '0' || ch == '1')) {
            digits = s;
        } else if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            BigInteger i = new BigDecimal(n.toString()).toBigIntegerExact();
            if (i.signum() < 0) {
                throw new IllegalArgumentException("a negative number is not a bit string");
            }
            digits = i.toString(2);
        } else {
            throw new IllegalArgumentException("not a bit string");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+)\\)").matcher(type);
        int length = m.find() ? Integer.parseInt(m.group(1)) : type.contains("varying") ? Integer.MAX_VALUE : 1;
        if (type.contains("varying")) {
            if (digits.length() > length) {
                throw new IllegalArgumentException(digits.length() + " bits do not fit in " + length);
            }
            return digits; // bit varying: the value's own length
        }
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        if (trimmed.length() > length) {
            throw new IllegalArgumentException(trimmed.length() + " significant bits do not fit in " + length);
        }
        return "0".repeat(length - trimmed.length()) + trimmed;
    }

    /** {@code 0}/{@code 1} digits of big-endian bytes (MariaDB Connector/J reads a BIT(n) so). */
    static String bitsOfBigEndian(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 8);
        for (byte b : bytes) {
            for (int i = 7; i >= 0; i--) {
                out.append((b >> i & 1) == 1 ? '1' : '0');
            }
        }
        return out.length() == 0 ? "0" : out.toString();
    }

    private static List<?> list(Object value) {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof String s) {
            // a MariaDB SET value: members joined by commas (a member cannot hold one)
            return s.isEmpty() ? List.of() : List.of(s.split(",", -1));
        }
        throw new IllegalArgumentException("not a list");
    }

    private static String set(List<?> members) {
        List<String> out = new ArrayList<>();
        for (Object m : members) {
            if (m == null) {
                throw new IllegalArgumentException("a SET has no NULL member");
            }
            String s = m.toString();
            if (s.contains(",")) {
                throw new IllegalArgumentException("a SET member cannot hold a comma: '" + s + "'");
            }
            out.add(s);
        }
        return String.join(",", out);
    }

    private static Object utcLocal(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        return value;
    }
}
