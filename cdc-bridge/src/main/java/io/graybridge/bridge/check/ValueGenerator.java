package io.graybridge.bridge.check;

import io.graybridge.bridge.db.ColumnInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for a column, from its PostgreSQL type: first the edge values (NULL when the column allows it,
 * empty and unicode text, the type's minimum and maximum, zero, daylight-saving gaps and overlaps, far
 * offsets), then random values of the type. Deterministic for a seed.
 */
public final class ValueGenerator {
    private static final Pattern PRECISION = Pattern.compile("\\((\\d+)(?:,(\\d+))?\\)");
    private static final String UNICODE = "Zoë Ørsted 漢字 🙂";

    private final Random random;

    public ValueGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The {@code i}-th value for {@code column}: an edge value while there are some left, then random values. */
    public Object value(ColumnInfo column, List<String> enumLabels, int i) {
        List<Object> edges = edges(column, enumLabels);
        if (i < edges.size()) {
            return edges.get(i);
        }
        return random(column, enumLabels);
    }

    /** The edge values of {@code column}'s type, NULL first when it is nullable. */
    public List<Object> edges(ColumnInfo column, List<String> enumLabels) {
        List<Object> out = new ArrayList<>();
        if (column.nullable()) {
            out.add(null);
        }
        String t = column.type().toLowerCase(Locale.ROOT);
        if (!enumLabels.isEmpty()) {
            out.addAll(enumLabels);
        } else if (t.equals("smallint")) {
            out.addAll(List.of((short) 0, (short) 1, (short) -1, Short.MIN_VALUE, Short.MAX_VALUE));
        } else if (t.equals("integer")) {
            out.addAll(List.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
        } else if (t.equals("bigint")) {
            out.addAll(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (t.startsWith("numeric")) {
            int[] ps = precision(t);
            BigDecimal max = ps == null ? new BigDecimal("1e30") : BigDecimal.TEN.pow(ps[0] - ps[1]).subtract(BigDecimal.ONE.movePointLeft(ps[1]));
            int scale = ps == null ? 6 : ps[1];
            out.addAll(List.of(BigDecimal.ZERO.setScale(scale), BigDecimal.ONE.movePointLeft(scale), max, max.negate()));
        } else if (t.equals("real") || t.equals("double precision")) {
            boolean real = t.equals("real");
            out.addAll(real ? List.of(0.0f, -1.5f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE)
                    : List.of(0.0d, -1.5d, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE));
        } else if (t.equals("boolean")) {
            out.addAll(List.of(true, false));
        } else if (t.startsWith("timestamp") && t.contains("with time zone") && !t.contains("without")) {
            out.addAll(List.of(
                    OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                    OffsetDateTime.of(2026, 3, 8, 2, 30, 0, 0, ZoneOffset.ofHours(-5)),
                    OffsetDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneOffset.ofHours(1)), // second pass in EU zones
                    // second pass in US Eastern, Central, Mountain and Pacific zones
                    OffsetDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneOffset.ofHours(-5)),
                    OffsetDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneOffset.ofHours(-6)),
                    OffsetDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneOffset.ofHours(-7)),
                    OffsetDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneOffset.ofHours(-8)),
                    OffsetDateTime.of(2026, 6, 30, 23, 59, 59, 999_999_000, ZoneOffset.ofHoursMinutes(5, 30)),
                    OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(14)),
                    OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.ofHours(-12))));
        } else if (t.startsWith("timestamp")) {
            out.addAll(List.of(
                    LocalDateTime.of(1970, 1, 1, 0, 0),
                    LocalDateTime.of(2026, 3, 8, 2, 30), // skipped in US zones
                    LocalDateTime.of(2026, 3, 29, 2, 30), // skipped in EU zones
                    LocalDateTime.of(2026, 11, 1, 1, 30), // twice in US zones
                    LocalDateTime.of(1, 1, 1, 0, 0),
                    LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        } else if (t.equals("date")) {
            out.addAll(List.of(LocalDate.of(1970, 1, 1), LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(2024, 2, 29)));
        } else if (t.startsWith("time")) {
            out.addAll(List.of(LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59, 999_999_000)));
        } else if (t.equals("uuid")) {
            out.addAll(List.of(new UUID(0, 0), new UUID(-1, -1)));
        } else if (t.equals("bytea")) {
            out.addAll(List.of(new byte[0], new byte[] {0, -1, 127}));
        } else if (t.startsWith("bit")) {
            int n = bits(t);
            out.addAll(List.of("0".repeat(n), "1".repeat(n)));
        } else if (t.equals("json") || t.equals("jsonb")) {
            out.addAll(List.of("{}", "{\"a\": 1}", "[]", "\"" + UNICODE + "\""));
        } else {
            int max = length(t);
            for (String s : List.of("", " ", "a", UNICODE, " padded ", "O'Brien \"quoted\" \\ back", "Y", "N", "Ada Lovelace", "1 Main St, Springfield")) {
                out.add(fit(s, max));
            }
            if (max > 0 && max < 10_000) {
                out.add("x".repeat(max));
            }
        }
        return out;
    }

    private Object random(ColumnInfo column, List<String> enumLabels) {
        if (column.nullable() && random.nextInt(10) == 0) {
            return null;
        }
        String t = column.type().toLowerCase(Locale.ROOT);
        if (!enumLabels.isEmpty()) {
            return enumLabels.get(random.nextInt(enumLabels.size()));
        }
        if (t.equals("smallint")) {
            return (short) random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
        }
        if (t.startsWith("bit")) {
            StringBuilder digits = new StringBuilder();
            for (int i = bits(t); i > 0; i--) {
                digits.append(random.nextBoolean() ? '1' : '0');
            }
            return digits.toString();
        }
        if (t.equals("integer")) {
            return random.nextInt();
        }
        if (t.equals("bigint")) {
            return random.nextBoolean() ? random.nextLong() : (long) random.nextInt(100_000);
        }
        if (t.startsWith("numeric")) {
            int[] ps = precision(t);
            int scale = ps == null ? 4 : ps[1];
            int digits = ps == null ? 18 : ps[0];
            BigInteger unscaled = new BigInteger(Math.max(1, (int) (digits * 3.3) - 1), random);
            BigDecimal v = new BigDecimal(unscaled, scale);
            if (ps != null && v.precision() > digits) {
                v = v.remainder(BigDecimal.TEN.pow(ps[0] - ps[1])).setScale(scale);
            }
            return random.nextBoolean() ? v : v.negate();
        }
        if (t.equals("real")) {
            return random.nextFloat() * 1000;
        }
        if (t.equals("double precision")) {
            return random.nextDouble() * 1e6;
        }
        if (t.equals("boolean")) {
            return random.nextBoolean();
        }
        LocalDateTime when = LocalDateTime.of(2000, 1, 1, 0, 0).plusSeconds(random.nextLong(0, 40L * 365 * 86_400))
                .plusNanos(random.nextInt(1_000_000) * 1000L).truncatedTo(ChronoUnit.MICROS);
        if (t.startsWith("timestamp") && t.contains("with time zone") && !t.contains("without")) {
            return when.atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(-12 * 4, 14 * 4 + 1) * 900));
        }
        if (t.startsWith("timestamp")) {
            return when;
        }
        if (t.equals("date")) {
            return when.toLocalDate();
        }
        if (t.startsWith("time")) {
            return when.toLocalTime();
        }
        if (t.equals("uuid")) {
            return new UUID(random.nextLong(), random.nextLong());
        }
        if (t.equals("bytea")) {
            byte[] b = new byte[random.nextInt(16)];
            random.nextBytes(b);
            return b;
        }
        if (t.equals("json") || t.equals("jsonb")) {
            return "{\"k" + random.nextInt(5) + "\": " + random.nextInt(1000) + "}";
        }
        return fit(text(), length(t));
    }

    private String text() {
        int n = random.nextInt(0, 24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                sb.append(' ');
            } else if (kind == 1) {
                sb.appendCodePoint(UNICODE.codePointAt(UNICODE.offsetByCodePoints(0, random.nextInt(UNICODE.codePointCount(0, UNICODE.length())))));
            } else {
                sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static String fit(String s, int max) {
        if (max <= 0 || s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return new String(s.codePoints().limit(max).toArray(), 0, max);
    }

    /** {@code character varying(20)} is 20, {@code character(1)} is 1, {@code text} is 0 (no limit). */
    private static int length(String type) {
        if (type.startsWith("character") || type.startsWith("varchar") || type.startsWith("char")) {
            Matcher m = PRECISION.matcher(type);
            return m.find() ? Integer.parseInt(m.group(1)) : (type.startsWith("character varying") ? 0 : 1);
        }
        return 0;
    }

    private static int[] precision(String type) {
        Matcher m = PRECISION.matcher(type);
        if (!m.find()) {
            return null;
        }
        return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }

    /** The length of a {@code bit(n)} (as capture gives bits: 0/1 digits); 8 for a bit varying without one. */
    private static int bits(String type) {
        Matcher m = PRECISION.matcher(type);
        return m.find() ? Integer.parseInt(m.group(1)) : type.contains("varying") ? 8 : 1;
    }
}
