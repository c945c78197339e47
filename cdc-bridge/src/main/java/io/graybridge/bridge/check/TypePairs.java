package io.graybridge.bridge.check;

import io.graybridge.bridge.db.Dialect;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether every value of a source column's type survives a trip through a target column's type and back, for a
 * column the mapping carries unchanged (same name, or a rename), on MariaDB/MySQL and PostgreSQL alike. Pure: it
 * reads only the two declared types (as {@code information_schema.columns.column_type} or PostgreSQL's
 * {@code format_type} give them) and, for MariaDB text, the column's character set.
 *
 * <p>{@link #lossy} answers with the reason when some values cannot come back as they were; empty when the pair is
 * exact or this class knows no rule for it (the generated and sampled rows still check it).
 */
public final class TypePairs {
    private static final Pattern ARGS = Pattern.compile("\\(([^)]*)\\)");
    private static final BigInteger UNSIGNED_BIGINT_MAX = new BigInteger("18446744073709551615");

    private TypePairs() {}

    /** The labels of a MariaDB {@code enum('a','b')} or members of a {@code set(...)}, in order; empty otherwise. */
    public static List<String> labels(String type) {
        String t = type.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("enum(") || lower.startsWith("set(")) || !t.endsWith(")")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        String body = t.substring(t.indexOf('(') + 1, t.length() - 1);
        StringBuilder cur = null;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (cur == null) {
                if (ch == '\'') {
                    cur = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                cur.append('\'');
                i++;
            } else if (ch == '\'') {
                out.add(cur.toString());
                cur = null;
            } else {
                cur.append(ch);
            }
        }
        return out;
    }

    /**
     * The PostgreSQL type whose generated values (ValueGenerator) are the Java values capture gives for a column of
     * {@code type} on {@code dialect}: a MariaDB type as Debezium reads it ({@code int unsigned} as a bigint,
     * {@code bigint unsigned} as numeric(20), {@code datetime(6)} as a timestamp, {@code timestamp} as a
     * timestamptz, ENUM and SET as text with their labels); a PostgreSQL type as it is.
     */
    public static String generatorType(Dialect dialect, String type) {
        if (!dialect.mysqlFamily()) {
            return type;
        }
        String t = type.toLowerCase(Locale.ROOT).trim();
        boolean unsigned = t.contains("unsigned");
        String base = t.replaceAll("\\(.*?\\)", "").replace(" unsigned", "").replace(" zerofill", "").trim();
        Matcher args = ARGS.matcher(t);
        String a = args.find() ? "(" + args.group(1) + ")" : "";
        switch (base) {
            case "tinyint":
                return "smallint";
            case "smallint":
                return unsigned ? "integer" : "smallint";
            case "mediumint":
                return "integer";
            case "int":
            case "integer":
                return unsigned ? "bigint" : "integer";
            case "bigint":
                return unsigned ? "numeric(20,0)" : "bigint";
            case "decimal":
            case "numeric":
                return "numeric" + (a.isEmpty() ? "(10,0)" : a);
            case "float":
                return "real";
            case "double":
                return "double precision";
            case "datetime":
                return "timestamp" + a + " without time zone";
            case "timestamp":
                return "timestamp" + a + " with time zone";
            case "char":
            case "varchar":
                return "character varying" + a;
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return "bytea";
            case "enum":
            case "set":
            case "tinytext":
            case "mediumtext":
            case "longtext":
                return "text";
            default:
                return type;
        }
    }

    /** One side's column type. {@code charset} is MariaDB's character set of a text column ({@code null} otherwise). */
    public record Type(Dialect dialect, String type, String charset) {
        String t() {
            return type.toLowerCase(Locale.ROOT).trim();
        }
    }

    /** Why values of {@code from} do not all come back the same from {@code to}, or empty when they do. */
    public static Optional<String> lossy(Type from, Type to) {
        String a = from.t();
        String b = to.t();
        Kind ka = kind(from);
        Kind kb = kind(to);
        if (ka == Kind.OTHER || kb == Kind.OTHER) {
            return Optional.empty();
        }
        if (ka == Kind.BOOLEAN_TINYINT && kb == Kind.BOOLEAN) {
            return Optional.of("tinyint(1) holds -128..127, boolean only 0 and 1: another value is a dead letter");
        }
        if (ka == Kind.BOOLEAN && (kb == Kind.BOOLEAN || kb == Kind.BOOLEAN_TINYINT || kb == Kind.INTEGER)) {
            return Optional.empty();
        }
        if (ka == Kind.BOOLEAN || kb == Kind.BOOLEAN) {
            return Optional.of("boolean against a " + (ka == Kind.BOOLEAN ? b : a) + " column: only 0 and 1 are booleans");
        }
        if (isNumber(ka) && isNumber(kb)) {
            return numbers(from, to);
        }
        if (ka == Kind.SET) {
            if (kb == Kind.ARRAY || kb == Kind.SET && a.equals(b)) {
                return Optional.empty();
            }
            if (kb == Kind.TEXT) {
                return text(from, to).or(() -> Optional.empty());
            }
        }
        if (kb == Kind.SET) {
            return ka == Kind.SET ? Optional.of("another SET's members") : Optional.of("a SET holds only its members, comma"
                    + " separated, in declaration order: other " + kindName(ka) + " values do not fit");
        }
        if (ka == Kind.ARRAY && kb != Kind.ARRAY) {
            return Optional.of("an array into " + b + ": only a SET column takes a list (joined by commas)");
        }
        if (ka == Kind.ENUM_M) {
            if (kb == Kind.TEXT) {
                return text(from, to);
            }
            if (kb == Kind.ENUM_M) {
                return a.equals(b) ? Optional.empty() : Optional.of("the two ENUMs' labels differ");
            }
            return Optional.empty(); // a PostgreSQL enum type: exact when it has every label (a missing one fails)
        }
        if (kb == Kind.ENUM_M) {
            return Optional.of("an ENUM holds only its labels: other " + kindName(ka) + " values do not fit");
        }
        if (ka == Kind.TEXT && kb == Kind.TEXT) {
            return text(from, to);
        }
        if (ka == Kind.JSON || kb == Kind.JSON) {
            if (ka == Kind.JSON && kb == Kind.JSON) {
                return Optional.empty();
            }
            if (kb == Kind.JSON && b.equals("jsonb")) {
                return Optional.of("jsonb keeps JSON values, not the text: key order, spaces and duplicate keys are lost,"
                        + " and text that is not JSON is refused");
            }
            return Optional.of("text into a JSON column: text that is not JSON is refused");
        }
        if (isTime(ka) && isTime(kb)) {
            return times(from, to);
        }
        if (ka == Kind.BINARY && kb == Kind.BINARY) {
            return binary(from, to);
        }
        if (ka == Kind.BITS && kb == Kind.BITS) {
            int la = bitLength(a);
            int lb = bitLength(b);
            return lb >= 0 && (la < 0 || la > lb)
                    ? Optional.of((la < 0 ? "bit strings of any length" : la + " bits") + " into " + lb + " bits")
                    : Optional.empty();
        }
        return Optional.of(kindName(ka) + " into " + kindName(kb) + ": the writer converts no value between them");
    }

    private enum Kind {
        INTEGER, DECIMAL, FLOAT, BOOLEAN, BOOLEAN_TINYINT, TEXT, ENUM_M, SET, ARRAY, JSON, DATE, DATETIME, TIMESTAMPTZ,
        TIME, BINARY, BITS, OTHER
    }

    private static String kindName(Kind k) {
        return k.name().toLowerCase(Locale.ROOT).replace("_m", "").replace('_', ' ');
    }

    private static boolean isNumber(Kind k) {
        return k == Kind.INTEGER || k == Kind.DECIMAL || k == Kind.FLOAT || k == Kind.BOOLEAN_TINYINT;
    }

    private static boolean isTime(Kind k) {
        return k == Kind.DATE || k == Kind.DATETIME || k == Kind.TIMESTAMPTZ;
    }

    private static Kind kind(Type type) {
        String t = type.t();
        boolean maria = type.dialect().mysqlFamily();
        if (t.endsWith("[]")) {
            return Kind.ARRAY;
        }
        if (maria && t.startsWith("tinyint(1)") && !t.contains("unsigned")) {
            return Kind.BOOLEAN_TINYINT;
        }
        if (t.equals("boolean") || t.equals("bool")) {
            return Kind.BOOLEAN;
        }
        if (t.matches("(tiny|small|medium|big)?int(eger)?(\\(\\d+\\))?( unsigned)?( zerofill)?")) {
            return Kind.INTEGER;
        }
        if (t.startsWith("numeric") || t.startsWith("decimal")) {
            return Kind.DECIMAL;
        }
        if (t.startsWith("float") || t.startsWith("double") || t.equals("real")) {
            return Kind.FLOAT;
        }
        if (t.startsWith("enum(")) {
            return Kind.ENUM_M;
        }
        if (t.startsWith("set(")) {
            return Kind.SET;
        }
        if (t.equals("json") || t.equals("jsonb")) {
            return Kind.JSON;
        }
        if (t.startsWith("char") || t.startsWith("varchar") || t.startsWith("character") || t.endsWith("text")) {
            return Kind.TEXT;
        }
        if (t.equals("date")) {
            return Kind.DATE;
        }
        if (t.startsWith("timestamp") && (maria || t.contains("with time zone") && !t.contains("without"))) {
            return Kind.TIMESTAMPTZ; // MariaDB TIMESTAMP is an instant too
        }
        if (t.startsWith("timestamp") || t.startsWith("datetime")) {
            return Kind.DATETIME;
        }
        if (t.equals("bytea") || t.startsWith("binary") || t.startsWith("varbinary") || t.endsWith("blob")) {
            return Kind.BINARY;
        }
        if (t.startsWith("bit")) {
            return Kind.BITS;
        }
        return Kind.OTHER;
    }

    /** The smallest and largest value of an integer or decimal type (null: unbounded or unknown). */
    private static BigInteger[] range(Type type) {
        String t = type.t();
        boolean unsigned = t.contains("unsigned");
        String base = t.replaceAll("\\(.*?\\)", "").replace(" unsigned", "").replace(" zerofill", "").trim();
        int bits = switch (base) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            case "bigint" -> 64;
            default -> 0;
        };
        if (bits > 0) {
            BigInteger span = BigInteger.TWO.pow(bits);
            return unsigned ? new BigInteger[] {BigInteger.ZERO, span.subtract(BigInteger.ONE)}
                    : new BigInteger[] {span.shiftRight(1).negate(), span.shiftRight(1).subtract(BigInteger.ONE)};
        }
        return null;
    }

    /** precision and scale of a decimal; {@code null} for numeric without them (unbounded). */
    private static int[] decimal(Type type) {
        Matcher m = ARGS.matcher(type.t());
        if (!m.find()) {
            return type.dialect().mysqlFamily() ? new int[] {10, 0} : null;
        }
        String[] ps = m.group(1).split(",");
        return new int[] {Integer.parseInt(ps[0].trim()), ps.length > 1 ? Integer.parseInt(ps[1].trim()) : 0};
    }

    private static Optional<String> numbers(Type from, Type to) {
        Kind ka = kind(from);
        Kind kb = kind(to);
        if (ka == Kind.FLOAT || kb == Kind.FLOAT) {
            if (ka == Kind.FLOAT && kb == Kind.FLOAT) {
                boolean narrow = (from.t().startsWith("double") || from.t().startsWith("float(") && !from.t().equals("float"))
                        && (to.t().equals("real") || to.t().equals("float"));
                return narrow ? Optional.of("double precision into single precision: digits are rounded") : Optional.empty();
            }
            return Optional.of(from.t() + " into " + to.t() + ": binary floating point and exact numbers round differently");
        }
        // exact numbers: integer digits and scale
        BigInteger[] ra = ka == Kind.BOOLEAN_TINYINT ? range(new Type(from.dialect(), "tinyint", null)) : range(from);
        BigInteger[] rb = kb == Kind.BOOLEAN_TINYINT ? range(new Type(to.dialect(), "tinyint", null)) : range(to);
        int scaleA = ra != null ? 0 : decimal(from) == null ? Integer.MAX_VALUE : decimal(from)[1];
        int scaleB = rb != null ? 0 : decimal(to) == null ? Integer.MAX_VALUE : decimal(to)[1];
        if (scaleA > scaleB) {
            return Optional.of(from.t() + " into " + to.t() + ": "
                    + (scaleA == Integer.MAX_VALUE ? "any scale" : scaleA + " decimal places") + " cut to " + scaleB);
        }
        BigInteger maxA = ra != null ? ra[1].max(ra[0].negate()) : maxOf(decimal(from));
        BigInteger minA = ra != null ? ra[0] : maxA == null ? null : maxA.negate();
        BigInteger maxB = rb != null ? rb[1] : maxOf(decimal(to));
        BigInteger minB = rb != null ? rb[0] : maxB == null ? null : maxB.negate();
        maxA = ra != null ? ra[1] : maxA;
        if (maxB != null && (maxA == null || maxA.compareTo(maxB) > 0)) {
            return Optional.of(from.t() + " into " + to.t() + ": values above " + maxB + " do not fit"
                    + (UNSIGNED_BIGINT_MAX.equals(maxA) ? " (an unsigned bigint needs numeric(20))" : ""));
        }
        if (minB != null && (minA == null || minA.compareTo(minB) < 0)) {
            return Optional.of(from.t() + " into " + to.t() + ": values below " + minB + " do not fit");
        }
        return Optional.empty();
    }

    /** The largest integer part of a decimal(p,s), {@code null} when unbounded. */
    private static BigInteger maxOf(int[] ps) {
        return ps == null ? null : BigInteger.TEN.pow(ps[0] - ps[1]).subtract(BigInteger.ONE);
    }

    private static Optional<String> text(Type from, Type to) {
        List<String> why = new ArrayList<>();
        long la = textLength(from);
        long lb = textLength(to);
        if (lb >= 0 && (la < 0 || la > lb)) {
            why.add(from.t() + " into " + to.t() + ": text longer than " + lb + (to.dialect().mysqlFamily()
                    && to.t().endsWith("text") ? " bytes" : " characters") + " does not fit");
        }
        if (to.t().startsWith("char") && !to.t().startsWith("character varying") && to.dialect() == Dialect.POSTGRESQL
                && !(from.t().startsWith("char") && !from.t().startsWith("character varying"))) {
            why.add("char(n) pads with spaces and drops trailing ones: 'a ' comes back as 'a'");
        }
        String ca = charset(from);
        String cb = charset(to);
        if (!cb.equals("utf8mb4") && !cb.equals(ca)) {
            why.add((why.isEmpty() ? from.t() + " into " + to.t() + ": " : "") + ca + " text into a " + cb
                    + " column: characters outside " + cb + (cb.equals("utf8mb3") ? " (4-byte UTF-8 such as emoji)" : "")
                    + " are replaced or refused");
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    /** The character set of a text column; PostgreSQL text is UTF-8, i.e. all of utf8mb4. */
    private static String charset(Type type) {
        if (!type.dialect().mysqlFamily() || type.charset() == null) {
            return "utf8mb4";
        }
        String c = type.charset().toLowerCase(Locale.ROOT);
        return c.equals("utf8") ? "utf8mb3" : c;
    }

    /** The most characters (bytes for MariaDB TEXT types) a text column holds, -1 when practically unbounded. */
    private static long textLength(Type type) {
        String t = type.t();
        if (type.dialect().mysqlFamily()) {
            switch (t) {
                case "tinytext":
                    return 255;
                case "text":
                    return 65_535;
                case "mediumtext":
                    return 16_777_215;
                case "longtext":
                    return -1;
                default:
                    break;
            }
        }
        if (t.startsWith("enum(")) {
            return labels(type.type()).stream().mapToInt(String::length).max().orElse(0);
        }
        if (t.startsWith("set(")) {
            List<String> members = labels(type.type());
            return members.stream().mapToInt(String::length).sum() + Math.max(0, members.size() - 1);
        }
        if (t.equals("text") || t.equals("character varying") || t.equals("varchar")) {
            return -1;
        }
        Matcher m = ARGS.matcher(t);
        return m.find() && m.group(1).matches("\\d+") ? Long.parseLong(m.group(1)) : -1;
    }

    private static Optional<String> times(Type from, Type to) {
        Kind ka = kind(from);
        Kind kb = kind(to);
        if (ka == Kind.DATE || kb == Kind.DATE) {
            if (ka != kb) {
                return Optional.of(from.t() + " into " + to.t() + ": " + (ka == Kind.DATE ? "a date gets a time of day"
                        : "the time of day is cut"));
            }
            return range(from, to, "dates");
        }
        int pa = fraction(from);
        int pb = fraction(to);
        if (pa > pb) {
            return Optional.of(from.t() + " into " + to.t() + ": fractional seconds beyond " + pb + " digits are cut");
        }
        Optional<String> range = range(from, to, "date-times");
        if (range.isPresent()) {
            return range;
        }
        if (ka == Kind.DATETIME && kb == Kind.TIMESTAMPTZ || ka == Kind.TIMESTAMPTZ && kb == Kind.DATETIME) {
            return Optional.empty(); // the bridge reads a date-time without zone as UTC both ways: exact
        }
        return Optional.empty();
    }

    /** Years each side holds: MariaDB DATETIME/DATE 1000-9999, TIMESTAMP 1970-2038; PostgreSQL 4713 BC on. */
    private static Optional<String> range(Type from, Type to, String what) {
        int[] ya = years(from);
        int[] yb = years(to);
        if (ya[0] < yb[0] || ya[1] > yb[1]) {
            return Optional.of(from.t() + " into " + to.t() + ": " + what + " outside " + yb[0] + ".." + yb[1]
                    + " do not fit");
        }
        return Optional.empty();
    }

    private static int[] years(Type type) {
        if (type.dialect().mysqlFamily()) {
            return type.t().startsWith("timestamp") ? new int[] {1970, 2038} : new int[] {1000, 9999};
        }
        return new int[] {-4713, 294_276};
    }

    /** Digits of fractional seconds: MariaDB's default 0, PostgreSQL's 6. */
    private static int fraction(Type type) {
        Matcher m = ARGS.matcher(type.t());
        if (m.find()) {
            return Integer.parseInt(m.group(1).trim());
        }
        return type.dialect().mysqlFamily() ? 0 : 6;
    }

    private static Optional<String> binary(Type from, Type to) {
        String b = to.t();
        long la = binaryLength(from);
        long lb = binaryLength(to);
        if (b.startsWith("binary")) {
            return from.t().equals(b) ? Optional.empty()
                    : Optional.of(from.t() + " into " + b + ": shorter values are padded with zero bytes, longer ones refused");
        }
        if (lb >= 0 && (la < 0 || la > lb)) {
            return Optional.of(from.t() + " into " + b + ": values longer than " + lb + " bytes do not fit");
        }
        return Optional.empty();
    }

    private static long binaryLength(Type type) {
        String t = type.t();
        switch (t) {
            case "tinyblob":
                return 255;
            case "blob":
                return 65_535;
            case "mediumblob":
                return 16_777_215;
            case "longblob":
            case "bytea":
                return -1;
            default:
                Matcher m = ARGS.matcher(t);
                return m.find() ? Long.parseLong(m.group(1).trim()) : -1;
        }
    }

    private static int bitLength(String t) {
        Matcher m = ARGS.matcher(t);
        if (m.find()) {
            return Integer.parseInt(m.group(1).trim());
        }
        return t.contains("varying") ? -1 : 1;
    }
}
