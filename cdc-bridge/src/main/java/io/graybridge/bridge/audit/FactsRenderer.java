package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the {@code change.applied} event of stored {@link ChangeFacts} straight from their compact binary form
 * ({@link FactsCodec}) into its CloudEvents JSON bytes, in one pass: no {@link ChangeFacts}, rows, maps or
 * intermediate strings per event, and one byte buffer reused for every event. The relay's hot path.
 *
 * <p>The bytes, id and record key are exactly those of {@link ChangeFacts#event} (the reference rendering, the former
 * writer's, which uses Jackson's generator). The structure (braces, commas, the {@code data} field names) is written
 * as constant bytes, and every name (table, column, lane, ...) as the quoted JSON bytes made the first time it is
 * seen; values go through {@link JsonBytes}, which writes what the generator writes, text straight from its stored
 * UTF-8 bytes. The few value types whose text is Jackson's own (floats, doubles, big integers) are written by a
 * Jackson generator and copied. {@code ChangeFactsRenderingTest} and {@code FactsRendererTest} compare the two
 * renderings. The one-pass order works because the facts are stored in the order of the event's {@code data}; the
 * envelope fields that depend on the whole record ({@code id}, {@code subject}, {@code time}) are written in front of
 * {@code data} once it is rendered.
 *
 * <p>Not thread-safe: one per relay thread.
 */
final class FactsRenderer {
    private static final byte[] BRIDGE = JsonBytes.asciiBytes("{\"bridge\":");
    private static final byte[] LANE = JsonBytes.asciiBytes(",\"lane\":");
    private static final byte[] SOURCE_SIDE = JsonBytes.asciiBytes(",\"sourceSide\":");
    private static final byte[] TARGET_SIDE = JsonBytes.asciiBytes(",\"targetSide\":");
    private static final byte[] MAPPING = JsonBytes.asciiBytes(",\"mapping\":");
    private static final byte[] SOURCE_TABLE = JsonBytes.asciiBytes(",\"sourceTable\":");
    private static final byte[] TABLE = JsonBytes.asciiBytes(",\"table\":");
    private static final byte[] KEY = JsonBytes.asciiBytes(",\"key\":");
    private static final byte[] OPERATION = JsonBytes.asciiBytes(",\"operation\":");
    private static final byte[] SOURCE_OPERATION = JsonBytes.asciiBytes(",\"sourceOperation\":");
    private static final byte[] DECISION_ACTION = JsonBytes.asciiBytes(",\"decision\":{\"action\":");
    private static final byte[] COLUMNS = JsonBytes.asciiBytes(",\"columns\":");
    private static final byte[] CONFLICT = JsonBytes.asciiBytes(",\"conflict\":");
    private static final byte[] WINNER = JsonBytes.asciiBytes(",\"winner\":");
    private static final byte[] BEFORE = JsonBytes.asciiBytes("},\"before\":");
    private static final byte[] AFTER = JsonBytes.asciiBytes(",\"after\":");
    private static final byte[] SOURCE_BEFORE = JsonBytes.asciiBytes(",\"sourceBefore\":");
    private static final byte[] SOURCE_AFTER = JsonBytes.asciiBytes(",\"sourceAfter\":");
    private static final byte[] POSITION = JsonBytes.asciiBytes(",\"position\":");
    private static final byte[] TRANSACTION = JsonBytes.asciiBytes(",\"transaction\":");
    private static final byte[] COMMIT_TIME = JsonBytes.asciiBytes(",\"commitTime\":");
    private static final byte[] PHASE = JsonBytes.asciiBytes(",\"phase\":");
    private static final byte[] SPEC_AND_ID = JsonBytes.asciiBytes("{\"specversion\":\"1.0\",\"id\":\"");
    private static final byte[] SOURCE_FIELD = JsonBytes.asciiBytes("\",\"source\":");
    private static final byte[] TYPE_FIELD = JsonBytes.asciiBytes(",\"type\":");
    private static final byte[] SUBJECT_FIELD = JsonBytes.asciiBytes(",\"subject\":");
    private static final byte[] TIME_FIELD = JsonBytes.asciiBytes(",\"time\":\"");
    private static final byte[] CONTENT_TYPE_FIELD = JsonBytes.asciiBytes("\",\"datacontenttype\":\"application/json\",\"dataschema\":");
    private static final byte[] PARTITION_KEY_FIELD = JsonBytes.asciiBytes(",\"partitionkey\":");
    private static final byte[] DATA_FIELD = JsonBytes.asciiBytes(",\"data\":");
    private static final String TYPE = EventType.CHANGE_APPLIED.type();
    private static final byte[] CHANGE = JsonBytes.asciiBytes("change");
    private static final byte[] BACKFILL = JsonBytes.asciiBytes("backfill");
    private static final byte[] NULL_TEXT = JsonBytes.asciiBytes("null");
    private static final List<String> NO_COLUMNS = List.of();
    private static final ChangeFacts.SourceImages[] SOURCE_IMAGES = ChangeFacts.SourceImages.values();
    /** Most column and table names whose quoted JSON the renderer keeps (names come from the mapped schemas). */
    private static final int MAX_NAMES = 10_000;

    private final ColumnMasker masker;
    /** The event being rendered: its data, then the quoted subject behind it. */
    private final JsonBytes out = new JsonBytes(16 * 1024);
    /** Quoted JSON text of names and of the envelope's constant strings ({@link #quoted}). */
    private final Map<String, byte[]> quoted = new HashMap<>();
    /** Names as field names: quoted, with the colon ({@link #fieldName}). */
    private final Map<String, byte[]> fieldNames = new HashMap<>();
    /** The UTF-8 bytes of the texts that go into every id: sources, tables, operations ({@link #utf8}). */
    private final Map<String, byte[]> utf8 = new HashMap<>();
    /** {@code source} by bridge and lane, so it is not joined for every event. */
    private final Map<String, Map<String, String>> sources = new HashMap<>();
    private final byte[] quotedType;
    private final byte[] quotedSchema;
    // one-entry caches: an event's images mostly repeat a time, and a transaction's events share the commit time
    private long cachedDateTimeDay = Long.MIN_VALUE;
    private long cachedDateTimeNanos;
    private String cachedDateTime;
    private byte[] cachedDateTimeJson;
    private long cachedInstantSeconds = Long.MIN_VALUE;
    private long cachedInstantNanos;
    private String cachedInstant;
    private byte[] cachedInstantJson;
    /** The last hidden value's masked text ({@link ColumnMasker#hide} repeats it for a repeated value) as JSON. */
    private Object lastMasked;
    private byte[] lastMaskedJson;
    /**
     * What was made of the names of the bundle being read ({@link #namesOf}), by their number in it: the quoted JSON,
     * the field name and the UTF-8 bytes. An event refers to its names by number, so the renderer looks each up in
     * the maps above once per bundle rather than at every use (a map lookup per column and event was an eighth of the
     * relay thread's CPU in a profile).
     */
    private byte[][][] made = new byte[3][64][];
    private static final int QUOTED = 0;
    private static final int FIELD_NAME = 1;
    private static final int UTF8 = 2;
    private FactsCodec.Reader namesOf;
    private final List<String> keyColumns = new java.util.ArrayList<>();
    private final List<String> setColumns = new java.util.ArrayList<>();
    /** The decompressed bundle being read ({@link #plainBuffer}). */
    private byte[] plain = new byte[64 * 1024];
    /** Jackson's generator for the values whose text is its own ({@link #jackson}), made when first needed. */
    private JsonGenerator g;
    private final Sink sink = new Sink(256);

    FactsRenderer(ColumnMasker masker) {
        this.masker = masker;
        this.quotedType = quote(TYPE);
        this.quotedSchema = quote(EventType.CHANGE_APPLIED.dataSchema());
    }

    /**
     * Reads one {@link ChangeFacts} record from {@code in} and renders its event.
     *
     * @throws IllegalArgumentException when the record is malformed (the message says why)
     */
    AuditBundle.Entry render(FactsCodec.Reader in) {
        try {
            return renderFacts(in);
        } catch (IOException e) {
            g = null; // its state is unknown: the next value gets a fresh one
            throw new IllegalStateException("cannot render an audit event as JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            g = null;
            throw e;
        }
    }

    private AuditBundle.Entry renderFacts(FactsCodec.Reader in) throws IOException {
        JsonBytes o = out;
        o.reset();
        // data, in the order the facts are stored (that of the event's data)
        if (in != namesOf) {
            names(in);
        }
        String bridge = required(name(BRIDGE, in), "bridge");
        String lane = required(name(LANE, in), "lane");
        name(SOURCE_SIDE, in);
        name(TARGET_SIDE, in);
        name(MAPPING, in);
        String sourceTable = name(SOURCE_TABLE, in);
        String table = required(name(TABLE, in), "table");
        int tableIndex = in.nameIndex();
        o.raw(KEY);
        long keyVar = in.readVar();
        if (keyVar == 0) {
            throw missing("key");
        }
        int keyStart = o.len;
        row(in, keyVar, null, null);
        int keyEnd = o.len;
        if (!in.readNamesInto(keyColumns)) {
            throw missing("keyColumns");
        }
        String operation = required(name(OPERATION, in), "operation");
        int operationIndex = in.nameIndex();
        name(SOURCE_OPERATION, in);
        required(name(DECISION_ACTION, in), "action");
        o.raw(COLUMNS);
        if (!in.readNamesInto(setColumns)) {
            o.writeNull();
        } else {
            o.raw((byte) '[');
            for (int i = 0; i < setColumns.size(); i++) {
                if (i > 0) {
                    o.raw((byte) ',');
                }
                nameValue(setColumns.get(i));
            }
            o.raw((byte) ']');
        }
        name(CONFLICT, in);
        name(WINNER, in);
        Set<String> hidden = masker.hiddenIn(table);
        o.raw(BEFORE);
        row(in, in.readVar(), hidden, keyColumns);
        o.raw(AFTER);
        row(in, in.readVar(), hidden, keyColumns);
        int images = in.readByte();
        if (images >= SOURCE_IMAGES.length) {
            throw new IllegalArgumentException("audit bundle holds an unknown source-images mark " + images);
        }
        switch (SOURCE_IMAGES[images]) {
            case CARRIED -> {
                Set<String> sourceHidden = masker.hiddenIn(sourceTable);
                o.raw(SOURCE_BEFORE);
                row(in, in.readVar(), sourceHidden, NO_COLUMNS);
                o.raw(SOURCE_AFTER);
                row(in, in.readVar(), sourceHidden, NO_COLUMNS);
            }
            case UNKNOWN -> {
                in.readRow(); // the facts hold none; read past them all the same
                in.readRow();
                o.raw(SOURCE_BEFORE);
                o.writeNull();
                o.raw(SOURCE_AFTER);
                o.writeNull();
            }
            case OMITTED -> {
                in.readRow();
                in.readRow();
            }
        }
        o.raw(POSITION);
        int positionLength = in.readTextLength();
        int positionAt = in.position();
        byte[] stored = in.buffer();
        text(in, positionLength);
        o.raw(TRANSACTION);
        text(in, in.readTextLength());
        o.raw(COMMIT_TIME);
        if (in.readByte() == 0) {
            o.writeNull();
        } else {
            o.raw(instantJson(in.readSigned(), in.readVar()));
        }
        name(PHASE, in);
        o.raw((byte) '}');
        if (in.readByte() == 0) {
            throw missing("time");
        }
        String time = instant(in.readSigned(), in.readVar());
        int dataEnd = o.len;
        // the subject (table/key JSON) as a JSON string, behind the data
        o.raw((byte) '"');
        byte[] tableBytes = madeAt(UTF8, tableIndex, table);
        o.escaped(tableBytes, 0, tableBytes.length);
        o.raw((byte) '/');
        o.escaped(o.buf, keyStart, keyEnd - keyStart);
        o.raw((byte) '"');
        int subjectEnd = o.len;
        byte[] data = o.buf;
        String subject = table + "/" + new String(data, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8);

        String source = source(bridge, lane);
        java.security.MessageDigest md5 = AuditEvent.md5();
        md5.update(CHANGE);
        md5.update((byte) 0);
        md5.update(utf8(source));
        md5.update((byte) 0);
        if ("snapshot".equals(operation)) {
            md5.update(BACKFILL);
        } else if (positionLength < 0) {
            md5.update(NULL_TEXT); // String.valueOf(null), as the reference names it
        } else {
            md5.update(stored, positionAt, positionLength);
        }
        md5.update((byte) 0);
        md5.update(tableBytes);
        md5.update((byte) 0);
        md5.update(data, keyStart, keyEnd - keyStart);
        md5.update((byte) 0);
        md5.update(madeAt(UTF8, operationIndex, operation));
        String id = AuditEvent.nameUuid(md5.digest());

        byte[] quotedSource = quoted(source);
        int subjectLength = subjectEnd - dataEnd;
        byte[] event = new byte[SPEC_AND_ID.length + id.length() + SOURCE_FIELD.length + quotedSource.length
                + TYPE_FIELD.length + quotedType.length + SUBJECT_FIELD.length + subjectLength + TIME_FIELD.length
                + time.length() + CONTENT_TYPE_FIELD.length + quotedSchema.length + PARTITION_KEY_FIELD.length
                + subjectLength + DATA_FIELD.length + dataEnd + 1];
        int p = put(event, 0, SPEC_AND_ID);
        p = putAscii(event, p, id);
        p = put(event, p, SOURCE_FIELD);
        p = put(event, p, quotedSource);
        p = put(event, p, TYPE_FIELD);
        p = put(event, p, quotedType);
        p = put(event, p, SUBJECT_FIELD);
        System.arraycopy(data, dataEnd, event, p, subjectLength);
        p += subjectLength;
        p = put(event, p, TIME_FIELD);
        p = putAscii(event, p, time);
        p = put(event, p, CONTENT_TYPE_FIELD);
        p = put(event, p, quotedSchema);
        p = put(event, p, PARTITION_KEY_FIELD);
        System.arraycopy(data, dataEnd, event, p, subjectLength);
        p += subjectLength;
        p = put(event, p, DATA_FIELD);
        System.arraycopy(data, 0, event, p, dataEnd);
        p += dataEnd;
        event[p] = '}';
        return new AuditBundle.Entry(id, TYPE, subject, event);
    }

    /**
     * A row image of {@code columns + 1} columns (the stored count; 0 is a null image) as a JSON object, each value
     * as its JSON value, the columns in {@code hidden} that are not in {@code keyColumns} hidden by the masker;
     * {@code hidden} {@code null} for none (the key image).
     */
    private void row(FactsCodec.Reader in, long columns, Set<String> hidden, List<String> keyColumns) throws IOException {
        JsonBytes o = out;
        if (columns == 0) {
            o.writeNull();
            return;
        }
        if (columns < 0 || columns - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("audit bundle holds a row of " + (columns - 1) + " columns");
        }
        o.raw((byte) '{');
        boolean first = true;
        for (long i = 1; i < columns; i++) {
            String column = in.readName();
            if (column == null) {
                throw new IllegalArgumentException("audit bundle holds a column without a name");
            }
            if (hidden != null && hidden.contains(column) && !keyColumns.contains(column)) {
                Object json = JsonValues.of(in.readValue());
                if (!masker.drops()) {
                    if (!first) {
                        o.raw((byte) ',');
                    }
                    first = false;
                    o.raw(madeAt(FIELD_NAME, in.nameIndex(), column));
                    Object masked = masker.hide(json);
                    if (masked == null) {
                        o.writeNull();
                    } else {
                        if (masked != lastMasked) {
                            lastMaskedJson = quote((String) masked);
                            lastMasked = masked;
                        }
                        o.raw(lastMaskedJson);
                    }
                }
            } else {
                if (!first) {
                    o.raw((byte) ',');
                }
                first = false;
                o.raw(madeAt(FIELD_NAME, in.nameIndex(), column));
                value(in);
            }
        }
        o.raw((byte) '}');
    }

    /**
     * One stored value as its JSON value ({@link JsonValues#of}), written as the generator call
     * {@link AuditEvent#write} makes for it (and the data binder, for shorts, floats and big integers) writes it.
     */
    private void value(FactsCodec.Reader in) throws IOException {
        JsonBytes o = out;
        int tag = in.readByte();
        switch (tag) {
            case FactsCodec.NULL -> o.writeNull();
            case FactsCodec.TEXT -> text(in, in.readTextLength());
            case FactsCodec.TRUE -> o.bool(true);
            case FactsCodec.FALSE -> o.bool(false);
            case FactsCodec.SHORT, FactsCodec.INT, FactsCodec.LONG -> {
                long v = in.readSigned();
                o.number(tag == FactsCodec.SHORT ? (short) v : tag == FactsCodec.INT ? (int) v : v);
            }
            case FactsCodec.BIG_DECIMAL -> decimal(in);
            case FactsCodec.LOCAL_DATE_TIME -> {
                long day = in.readSigned();
                long nanos = in.readVar();
                if (day != cachedDateTimeDay || nanos != cachedDateTimeNanos || cachedDateTime == null) {
                    cachedDateTime = LocalDateTime.of(LocalDate.ofEpochDay(day), LocalTime.ofNanoOfDay(nanos)).toString();
                    cachedDateTimeJson = quote(cachedDateTime);
                    cachedDateTimeDay = day;
                    cachedDateTimeNanos = nanos;
                }
                o.raw(cachedDateTimeJson);
            }
            case FactsCodec.INSTANT -> o.raw(instantJson(in.readSigned(), in.readVar()));
            default -> {
                Object v = JsonValues.of(in.readValue(tag));
                if (v instanceof String s) {
                    o.string(s);
                } else {
                    jackson(v);
                }
            }
        }
    }

    /**
     * A value whose JSON text is Jackson's own (doubles, floats, big integers, as numbers or as quoted non-finite
     * names), written by the generator call the reference makes for it and copied.
     */
    private void jackson(Object v) throws IOException {
        if (g == null) {
            sink.reset();
            g = AuditEvent.UTF8.createGenerator(sink, JsonEncoding.UTF8);
            g.setRootValueSeparator(null); // values are written one after the other, each copied out on its own
        }
        g.flush();
        sink.reset();
        if (v instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (v instanceof Float f) {
            g.writeNumber(f.floatValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else {
            AuditEvent.write(g, v);
        }
        g.flush();
        out.raw(sink.buf, 0, sink.len);
    }

    /** A stored text of {@code n} UTF-8 bytes (-1: null) at the reader's position, as a JSON string; read past it. */
    private void text(FactsCodec.Reader in, int n) {
        if (n < 0) {
            out.writeNull();
            return;
        }
        out.string(in.buffer(), in.position(), n);
        in.skip(n);
    }

    /** Reads a name from {@code in} and writes {@code prefix}, then its quoted JSON or {@code null}; returns it. */
    private String name(byte[] prefix, FactsCodec.Reader in) {
        String value = in.readName();
        out.raw(prefix);
        if (value == null) {
            out.writeNull();
        } else {
            out.raw(madeAt(QUOTED, in.nameIndex(), value));
        }
        return value;
    }

    /**
     * Starts on the names of the bundle {@code in} reads: what was made of the last bundle's names by their number
     * ({@link #made}) is forgotten.
     */
    private void names(FactsCodec.Reader in) {
        namesOf = in;
        for (byte[][] kind : made) {
            Arrays.fill(kind, null);
        }
    }

    /**
     * What {@code kind} makes of the bundle's name number {@code i} ({@code name}): {@link #quoted}, {@link #fieldName}
     * or {@link #utf8}, made once and kept by number for the rest of the bundle.
     */
    private byte[] madeAt(int kind, int i, String name) {
        if (i >= made[kind].length) {
            int n = Math.max(i + 1, made[kind].length * 2);
            for (int k = 0; k < made.length; k++) {
                made[k] = Arrays.copyOf(made[k], n);
            }
        }
        byte[] known = made[kind][i];
        if (known == null) {
            known = switch (kind) {
                case QUOTED -> quoted(name);
                case FIELD_NAME -> fieldName(name);
                default -> utf8(name);
            };
            made[kind][i] = known;
        }
        return known;
    }

    private void nameValue(String value) {
        if (value == null) {
            out.writeNull();
        } else {
            out.raw(quoted(value));
        }
    }

    /** {@code text} as a quoted JSON string, made once and kept (names and sources repeat in every event). */
    private byte[] quoted(String text) {
        byte[] known = quoted.get(text);
        if (known != null) {
            return known;
        }
        byte[] made = quote(text);
        if (quoted.size() < MAX_NAMES) {
            quoted.put(text, made);
        }
        return made;
    }

    /** {@code name} as a field name with its colon, quoted once and kept (column names repeat in every event). */
    private byte[] fieldName(String name) {
        byte[] known = fieldNames.get(name);
        if (known != null) {
            return known;
        }
        JsonBytes b = new JsonBytes(name.length() + 8);
        b.string(name);
        b.raw((byte) ':');
        byte[] made = b.copy(0, b.len);
        if (fieldNames.size() < MAX_NAMES) {
            fieldNames.put(name, made);
        }
        return made;
    }

    private String source(String bridge, String lane) {
        return sources.computeIfAbsent(bridge, b -> new HashMap<>()).computeIfAbsent(lane, l -> AuditEvent.source(bridge, l));
    }

    private byte[] utf8(String text) {
        byte[] b = utf8.get(text);
        if (b == null) {
            b = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.size() < MAX_NAMES) {
                utf8.put(text, b);
            }
        }
        return b;
    }

    /** A buffer of at least {@code n} bytes for a decompressed bundle, reused from one bundle to the next. */
    byte[] plainBuffer(int n) {
        if (plain.length < n) {
            plain = new byte[Math.max(n, plain.length * 2)];
        }
        return plain;
    }

    private String instant(long seconds, long nanos) {
        if (seconds != cachedInstantSeconds || nanos != cachedInstantNanos || cachedInstant == null) {
            cachedInstant = Instant.ofEpochSecond(seconds, nanos).toString();
            cachedInstantJson = null;
            cachedInstantSeconds = seconds;
            cachedInstantNanos = nanos;
        }
        return cachedInstant;
    }

    /** {@link #instant} as a JSON string. */
    private byte[] instantJson(long seconds, long nanos) {
        String text = instant(seconds, nanos);
        if (cachedInstantJson == null) {
            cachedInstantJson = quote(text);
        }
        return cachedInstantJson;
    }

    /**
     * A stored {@code BigDecimal} (its scale, then its unscaled value's two's-complement bytes) as its JSON number,
     * without making the {@code BigInteger}, the {@code BigDecimal} and its text when the unscaled value fits a long.
     */
    private void decimal(FactsCodec.Reader in) {
        long scale = in.readSigned();
        long n = in.readVar();
        if (n >= 1 && n <= 8) {
            in.skip((int) n);
            byte[] b = in.buffer();
            int at = in.position() - (int) n;
            long unscaled = b[at]; // sign-extended
            for (int i = 1; i < n; i++) {
                unscaled = (unscaled << 8) | (b[at + i] & 0xff);
            }
            if (out.decimal(unscaled, (int) scale)) {
                return;
            }
            out.ascii(new BigDecimal(BigInteger.valueOf(unscaled), (int) scale).toString());
            return;
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("audit bundle holds a length of " + n + " at offset " + in.position());
        }
        in.skip((int) n);
        byte[] unscaled = Arrays.copyOfRange(in.buffer(), in.position() - (int) n, in.position());
        out.ascii(new BigDecimal(new BigInteger(unscaled), (int) scale).toString());
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw missing(what);
        }
        return value;
    }

    private static IllegalArgumentException missing(String what) {
        return new IllegalArgumentException("audit bundle holds a change without its " + what);
    }

    /** {@code text} as a JSON string. */
    private static byte[] quote(String text) {
        JsonBytes b = new JsonBytes(text.length() + 8);
        b.string(text);
        return b.copy(0, b.len);
    }

    private static int put(byte[] out, int p, byte[] part) {
        System.arraycopy(part, 0, out, p, part.length);
        return p + part.length;
    }

    /** Text known to be ASCII (a UUID, an ISO-8601 instant). */
    private static int putAscii(byte[] out, int p, String text) {
        for (int i = 0; i < text.length(); i++) {
            out[p++] = (byte) text.charAt(i);
        }
        return p;
    }

    /** The generator's output: a byte array reused for every event. */
    private static final class Sink extends OutputStream {
        private byte[] buf;
        private int len;

        Sink(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            len = 0;
        }

        @Override
        public void write(int b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }
    }
}
