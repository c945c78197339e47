package io.graybridge.bridge.apply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run of new rows into one PostgreSQL table with {@code COPY ... FROM STDIN} (text format) instead
 * of INSERT statements: the server parses one stream instead of statements, several times cheaper per row
 * (the benchmark suite's apply section measures it beside COPY BINARY).
 *
 * <p>Used only for rows the writer decided to INSERT (the key was absent from the locked current rows),
 * only for runs of at least {@link #MIN_ROWS} rows, and only when every value has an exact text form
 * here ({@link #render}); otherwise the writer sends its batched INSERTs as before. The server reads
 * each value by its column's type, as it does for a bound parameter, so the rows are the same. A COPY
 * that fails (e.g. the target's application inserted one of the keys meanwhile) fails the batch's
 * transaction as a failed INSERT would, and the writer's retry applies.
 */
public final class CopyRows {
    private static final Logger LOG = LoggerFactory.getLogger(CopyRows.class);

    /** Shorter runs go as batched INSERTs: COPY's setup costs more than it saves. */
    static final int MIN_ROWS = 32;

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter OFFSET_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSxxx");

    private CopyRows() {}

    /**
     * The rows as COPY text, one line per row, or {@code null} when some value has no exact text form here.
     *
     * @param rows each row's values in column order
     */
    public static byte[] encode(List<List<Object>> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 64);
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append('\t');
                }
                Object v = row.get(i);
                if (v == null) {
                    out.append("\\N");
                    continue;
                }
                String text = render(v);
                if (text == null) {
                    return null;
                }
                escape(text, out);
            }
            out.append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code COPY <table> (<columns>) FROM STDIN} with {@code data} from {@link #encode}. */
    public static void copy(Connection c, String qualifiedTable, String quotedColumns, byte[] data) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + qualifiedTable + " (" + quotedColumns + ") FROM STDIN");
        try {
            copy.writeToCopy(data, 0, data.length);
            long rows = copy.endCopy();
            LOG.debug("COPY of {} rows into {}", rows, qualifiedTable);
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * PostgreSQL's text input form of {@code v}, or {@code null} for a value this writer only binds as a
     * parameter (infinite or out-of-range dates, sub-microsecond times, unknown types).
     */
    static String render(Object v) {
        if (v instanceof String s) {
            return s.indexOf('\0') >= 0 ? null : s; // PostgreSQL text cannot hold NUL; let the INSERT report it
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : Double.toString(d);
        }
        if (v instanceof Float f) {
            return f.isNaN() ? "NaN" : f.isInfinite() ? (f > 0 ? "Infinity" : "-Infinity") : Float.toString(f);
        }
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        if (v instanceof LocalDate d) {
            return plainYear(d.getYear()) ? d.toString() : null;
        }
        if (v instanceof LocalDateTime t) {
            return plainYear(t.getYear()) && micros(t.getNano()) ? DATE_TIME.format(t) : null;
        }
        if (v instanceof OffsetDateTime t) {
            return plainYear(t.getYear()) && micros(t.getNano()) && t.getOffset().getTotalSeconds() % 60 == 0
                    ? OFFSET_DATE_TIME.format(t) : null;
        }
        if (v instanceof Instant i) {
            return render(OffsetDateTime.ofInstant(i, ZoneOffset.UTC));
        }
        if (v instanceof LocalTime t) {
            return micros(t.getNano()) ? t.toString() : null;
        }
        if (v instanceof OffsetTime t) {
            return micros(t.getNano()) && t.getOffset().getTotalSeconds() % 60 == 0 ? t.toString() : null;
        }
        if (v instanceof List<?> list) {
            return arrayLiteral(list);
        }
        return null;
    }

    /**
     * PostgreSQL's array input form of {@code list} ({@code {"1",NULL,"-1"}}, nested lists as nested
     * braces), every element quoted, or {@code null} when an element has no text form here.
     */
    static String arrayLiteral(List<?> list) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object e = list.get(i);
            if (e == null) {
                out.append("NULL");
            } else if (e instanceof List<?> inner) {
                String nested = arrayLiteral(inner);
                if (nested == null) {
                    return null;
                }
                out.append(nested);
            } else {
                String text = render(e);
                if (text == null) {
                    return null;
                }
                out.append('"');
                for (int k = 0; k < text.length(); k++) {
                    char ch = text.charAt(k);
                    if (ch == '"' || ch == '\\') {
                        out.append('\\');
                    }
                    out.append(ch);
                }
                out.append('"');
            }
        }
        return out.append('}').toString();
    }

    /** Whole microseconds: PostgreSQL keeps no more, and rounding is left to the driver's binding. */
    private static boolean micros(int nanos) {
        return nanos % 1000 == 0;
    }

    /** Years 1 to 9999 print as four digits that PostgreSQL reads back the same; others are left to binding. */
    private static boolean plainYear(int year) {
        return year >= 1 && year <= 9999;
    }

    /** COPY text escaping: backslash, and the characters that end a field or a line. */
    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

}
