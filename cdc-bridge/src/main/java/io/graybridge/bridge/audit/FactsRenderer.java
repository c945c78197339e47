package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
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
 * intermediate strings per event, and one JSON generator and buffer reused for every event. The relay's hot path.
 *
 * <p>The bytes, id and record key are exactly those of {@link ChangeFacts#event} (the reference rendering, the former
 * writer's): the same generator settings, the same generator call for every value, the same field order.
 * {@code ChangeFactsRenderingTest} and {@code FactsRendererTest} compare the two. The one-pass order works because
 * the facts are stored in the order of the event's {@code data}; the envelope fields that depend on the whole record
 * ({@code id}, {@code subject}, {@code time}) are written in front of {@code data} once it is rendered.
 *
 * <p>Not thread-safe: one per relay thread.
 */
final class FactsRenderer {
    private static final SerializedString BRIDGE = new SerializedString("bridge");
    private static final SerializedString LANE = new SerializedString("lane");
    private static final SerializedString SOURCE_SIDE = new SerializedString("sourceSide");
    private static final SerializedString TARGET_SIDE = new SerializedString("targetSide");
    private static final SerializedString MAPPING = new SerializedString("mapping");
    private static final SerializedString SOURCE_TABLE = new SerializedString("sourceTable");
    private static final SerializedString TABLE = new SerializedString("table");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString OPERATION = new SerializedString("operation");
    private static final SerializedString SOURCE_OPERATION = new SerializedString("sourceOperation");
    private static final SerializedString DECISION = new SerializedString("decision");
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString COLUMNS = new SerializedString("columns");
    private static final SerializedString CONFLICT = new SerializedString("conflict");
    private static final SerializedString WINNER = new SerializedString("winner");
    private static final SerializedString BEFORE = new SerializedString("before");
    private static final SerializedString AFTER = new SerializedString("after");
    private static final SerializedString SOURCE_BEFORE = new SerializedString("sourceBefore");
    private static final SerializedString SOURCE_AFTER = new SerializedString("sourceAfter");
    private static final SerializedString POSITION = new SerializedString("position");
    private static final SerializedString TRANSACTION = new SerializedString("transaction");
    private static final SerializedString COMMIT_TIME = new SerializedString("commitTime");
    private static final SerializedString PHASE = new SerializedString("phase");
    private static final byte[] SPEC_AND_ID = ascii("{\"specversion\":\"1.0\",\"id\":\"");
    private static final byte[] SOURCE_FIELD = ascii("\",\"source\":");
    private static final byte[] TYPE_FIELD = ascii(",\"type\":");
    private static final byte[] SUBJECT_FIELD = ascii(",\"subject\":");
    private static final byte[] TIME_FIELD = ascii(",\"time\":\"");
    private static final byte[] CONTENT_TYPE_FIELD = ascii("\",\"datacontenttype\":\"application/json\",\"dataschema\":");
    private static final byte[] PARTITION_KEY_FIELD = ascii(",\"partitionkey\":");
    private static final byte[] DATA_FIELD = ascii(",\"data\":");
    private static final String TYPE = EventType.CHANGE_APPLIED.type();
    private static final byte[] CHANGE = ascii("change");
    private static final List<String> NO_COLUMNS = List.of();
    /** Most column and table names whose quoted JSON the renderer keeps (names come from the mapped schemas). */
    private static final int MAX_NAMES = 10_000;

    private final ColumnMasker masker;
    private final Sink sink = new Sink(16 * 1024);
    private JsonGenerator g;
    /** Quoted JSON text of the envelope's constant strings: {@code source} per bridge and lane, type, schema. */
    private final Map<String, byte[]> quoted = new HashMap<>();
    private final byte[] quotedType;
    private final byte[] quotedSchema;
    // one-entry caches: an event's images mostly repeat a time, and a transaction's events share the commit time
    private long cachedDateTimeDay = Long.MIN_VALUE;
    private long cachedDateTimeNanos;
    private String cachedDateTime;
    private long cachedInstantSeconds = Long.MIN_VALUE;
    private long cachedInstantNanos;
    private String cachedInstant;
    /** Names as field names, quoted and escaped once ({@link #fieldName}). */
    private final Map<String, SerializedString> fieldNames = new HashMap<>();
    /** The UTF-8 bytes of the texts that go into every id: sources, tables, operations ({@link #utf8}). */
    private final Map<String, byte[]> utf8 = new HashMap<>();
    private final List<String> keyColumns = new java.util.ArrayList<>();
    private final List<String> setColumns = new java.util.ArrayList<>();
    /** The decompressed bundle being read ({@link #plainBuffer}). */
    private byte[] plain = new byte[64 * 1024];

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
            g = null; // its state is unknown: the next event gets a fresh one
            throw new IllegalStateException("cannot render an audit event as JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            g = null;
            throw e;
        }
    }

    private JsonGenerator generator() throws IOException {
        if (g == null) {
            sink.reset();
            g = AuditEvent.UTF8.createGenerator(sink, JsonEncoding.UTF8);
            g.setRootValueSeparator(null); // events are written one after the other, each read out on its own
        }
        return g;
    }

    private AuditBundle.Entry renderFacts(FactsCodec.Reader in) throws IOException {
        JsonGenerator g = generator();
        sink.reset();
        // data, in the order the facts are stored (that of the event's data)
        g.writeStartObject();
        String bridge = required(in.readName(), "bridge");
        name(g, BRIDGE, bridge);
        String lane = required(in.readName(), "lane");
        name(g, LANE, lane);
        name(g, SOURCE_SIDE, in.readName());
        name(g, TARGET_SIDE, in.readName());
        name(g, MAPPING, in.readName());
        String sourceTable = in.readName();
        name(g, SOURCE_TABLE, sourceTable);
        String table = required(in.readName(), "table");
        name(g, TABLE, table);
        g.writeFieldName(KEY);
        long keyVar = in.readVar();
        if (keyVar == 0) {
            throw missing("key");
        }
        g.writeStartObject();
        int keyStart = position() - 1;
        row(in, keyVar, null, null);
        g.writeEndObject();
        int keyEnd = position();
        if (!in.readNamesInto(keyColumns)) {
            throw missing("keyColumns");
        }
        String operation = required(in.readName(), "operation");
        name(g, OPERATION, operation);
        name(g, SOURCE_OPERATION, in.readName());
        g.writeFieldName(DECISION);
        g.writeStartObject();
        name(g, ACTION, required(in.readName(), "action"));
        g.writeFieldName(COLUMNS);
        if (!in.readNamesInto(setColumns)) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String c : setColumns) {
                nullable(g, c);
            }
            g.writeEndArray();
        }
        name(g, CONFLICT, in.readName());
        name(g, WINNER, in.readName());
        g.writeEndObject();
        Set<String> hidden = masker.hiddenIn(table);
        g.writeFieldName(BEFORE);
        row(in, in.readVar(), hidden, keyColumns);
        g.writeFieldName(AFTER);
        row(in, in.readVar(), hidden, keyColumns);
        int images = in.readByte();
        if (images >= ChangeFacts.SourceImages.values().length) {
            throw new IllegalArgumentException("audit bundle holds an unknown source-images mark " + images);
        }
        switch (ChangeFacts.SourceImages.values()[images]) {
            case CARRIED -> {
                Set<String> sourceHidden = masker.hiddenIn(sourceTable);
                g.writeFieldName(SOURCE_BEFORE);
                row(in, in.readVar(), sourceHidden, NO_COLUMNS);
                g.writeFieldName(SOURCE_AFTER);
                row(in, in.readVar(), sourceHidden, NO_COLUMNS);
            }
            case UNKNOWN -> {
                in.readRow(); // the facts hold none; read past them all the same
                in.readRow();
                g.writeFieldName(SOURCE_BEFORE);
                g.writeNull();
                g.writeFieldName(SOURCE_AFTER);
                g.writeNull();
            }
            case OMITTED -> {
                in.readRow();
                in.readRow();
            }
        }
        String position = in.readText();
        g.writeFieldName(POSITION);
        nullable(g, position);
        g.writeFieldName(TRANSACTION);
        nullable(g, in.readText());
        g.writeFieldName(COMMIT_TIME);
        if (in.readByte() == 0) {
            g.writeNull();
        } else {
            g.writeString(instant(in.readSigned(), in.readVar()));
        }
        name(g, PHASE, in.readName());
        g.writeEndObject();
        if (in.readByte() == 0) {
            throw missing("time");
        }
        String time = instant(in.readSigned(), in.readVar());
        int dataEnd = position();
        g.flush();
        String keyJson = new String(sink.buf, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8);
        String subject = table + "/" + keyJson;
        g.writeString(subject);
        g.flush();
        int subjectEnd = sink.len;

        String source = AuditEvent.source(bridge, lane);
        String at = "snapshot".equals(operation) ? "backfill" : String.valueOf(position);
        String id = stableId(source, at, table, keyStart, keyEnd, operation);
        byte[] quotedSource = quoted.computeIfAbsent(source, this::quote);
        int subjectLength = subjectEnd - dataEnd;
        byte[] out = new byte[SPEC_AND_ID.length + id.length() + SOURCE_FIELD.length + quotedSource.length
                + TYPE_FIELD.length + quotedType.length + SUBJECT_FIELD.length + subjectLength + TIME_FIELD.length
                + time.length() + CONTENT_TYPE_FIELD.length + quotedSchema.length + PARTITION_KEY_FIELD.length
                + subjectLength + DATA_FIELD.length + dataEnd + 1];
        int p = put(out, 0, SPEC_AND_ID);
        p = putAscii(out, p, id);
        p = put(out, p, SOURCE_FIELD);
        p = put(out, p, quotedSource);
        p = put(out, p, TYPE_FIELD);
        p = put(out, p, quotedType);
        p = put(out, p, SUBJECT_FIELD);
        System.arraycopy(sink.buf, dataEnd, out, p, subjectLength);
        p += subjectLength;
        p = put(out, p, TIME_FIELD);
        p = putAscii(out, p, time);
        p = put(out, p, CONTENT_TYPE_FIELD);
        p = put(out, p, quotedSchema);
        p = put(out, p, PARTITION_KEY_FIELD);
        System.arraycopy(sink.buf, dataEnd, out, p, subjectLength);
        p += subjectLength;
        p = put(out, p, DATA_FIELD);
        System.arraycopy(sink.buf, 0, out, p, dataEnd);
        p += dataEnd;
        out[p] = '}';
        return new AuditBundle.Entry(id, TYPE, subject, out);
    }

    /** Where the next byte the generator writes will be in {@link #sink}. */
    private int position() {
        return sink.len + g.getOutputBuffered();
    }

    /**
     * A row image of {@code columns + 1} columns (the stored count; 0 is a null image) as a JSON object, each value
     * as its JSON value, the columns in {@code hidden} that are not key columns hidden by the masker; {@code hidden}
     * {@code null} for none. The key image ({@code keyColumns} {@code null}) is written without its braces.
     */
    private void row(FactsCodec.Reader in, long columns, Set<String> hidden, List<String> keyColumns) throws IOException {
        if (columns == 0) {
            g.writeNull();
            return;
        }
        if (columns < 0 || columns - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("audit bundle holds a row of " + (columns - 1) + " columns");
        }
        boolean braces = keyColumns != null;
        if (braces) {
            g.writeStartObject();
        }
        for (long i = 1; i < columns; i++) {
            String column = in.readName();
            if (column == null) {
                throw new IllegalArgumentException("audit bundle holds a column without a name");
            }
            if (hidden != null && hidden.contains(column) && !keyColumns.contains(column)) {
                Object json = JsonValues.of(in.readValue());
                if (!masker.drops()) {
                    g.writeFieldName(fieldName(column));
                    AuditEvent.write(g, masker.hide(json));
                }
            } else {
                g.writeFieldName(fieldName(column));
                value(in);
            }
        }
        if (braces) {
            g.writeEndObject();
        }
    }

    /**
     * One stored value as its JSON value ({@link JsonValues#of}), written with the generator call
     * {@link AuditEvent#write} makes for it (and the data binder, for shorts, floats and big integers).
     */
    private void value(FactsCodec.Reader in) throws IOException {
        int tag = in.readByte();
        switch (tag) {
            case FactsCodec.NULL -> g.writeNull();
            case FactsCodec.TEXT -> text(in);
            case FactsCodec.TRUE -> g.writeBoolean(true);
            case FactsCodec.FALSE -> g.writeBoolean(false);
            case FactsCodec.SHORT -> g.writeNumber((short) in.readSigned());
            case FactsCodec.INT -> g.writeNumber((int) in.readSigned());
            case FactsCodec.LONG -> g.writeNumber(in.readSigned());
            case FactsCodec.LOCAL_DATE_TIME -> {
                long day = in.readSigned();
                long nanos = in.readVar();
                if (day != cachedDateTimeDay || nanos != cachedDateTimeNanos || cachedDateTime == null) {
                    cachedDateTime = LocalDateTime.of(LocalDate.ofEpochDay(day), LocalTime.ofNanoOfDay(nanos)).toString();
                    cachedDateTimeDay = day;
                    cachedDateTimeNanos = nanos;
                }
                g.writeString(cachedDateTime);
            }
            case FactsCodec.INSTANT -> g.writeString(instant(in.readSigned(), in.readVar()));
            default -> {
                Object v = JsonValues.of(in.readValue(tag));
                if (v instanceof String s) {
                    g.writeString(s);
                } else if (v instanceof BigDecimal d) {
                    g.writeNumber(d);
                } else if (v instanceof Double d) {
                    g.writeNumber(d.doubleValue());
                } else if (v instanceof Float f) {
                    g.writeNumber(f.floatValue());
                } else if (v instanceof BigInteger b) {
                    g.writeNumber(b);
                } else {
                    AuditEvent.write(g, v);
                }
            }
        }
    }

    /**
     * A stored text as a JSON string, written from its UTF-8 bytes where they are (no string decoded and encoded
     * again). The generator escapes them exactly as it escapes the decoded string; only text with characters
     * outside the Basic Multilingual Plane (4-byte sequences) goes through a string, so their output stays the
     * generator's for strings by construction.
     */
    private void text(FactsCodec.Reader in) throws IOException {
        int n = in.readTextLength();
        if (n < 0) {
            g.writeNull();
            return;
        }
        byte[] b = in.buffer();
        int at = in.position();
        if (withoutFourByteSequences(b, at, n)) {
            g.writeUTF8String(b, at, n);
        } else {
            g.writeString(new String(b, at, n, StandardCharsets.UTF_8));
        }
        in.skip(n);
    }

    private static boolean withoutFourByteSequences(byte[] b, int from, int n) {
        for (int i = from, end = from + n; i < end; i++) {
            if ((b[i] & 0xF8) == 0xF0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code name} as a field name, quoted once and kept (names repeat in every event); a name with surrogates is
     * written as a string each time, as the reference does.
     */
    private SerializableString fieldName(String name) {
        SerializedString known = fieldNames.get(name);
        if (known != null) {
            return known;
        }
        SerializedString made = new SerializedString(name);
        if (fieldNames.size() < MAX_NAMES && name.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            fieldNames.put(name, made);
        }
        return made;
    }

    /**
     * {@link AuditEvent#stableId}{@code ("change", source, at, table, key, operation)}, the key's JSON taken from
     * the rendered data ({@code keyStart} to {@code keyEnd} in {@link #sink}) and the other parts' bytes kept: the
     * same digest of the same bytes, without joining or encoding strings per event.
     */
    private String stableId(String source, String at, String table, int keyStart, int keyEnd, String operation) {
        java.security.MessageDigest md5 = AuditEvent.md5();
        md5.update(CHANGE);
        md5.update((byte) 0);
        md5.update(utf8(source));
        md5.update((byte) 0);
        md5.update(at.getBytes(StandardCharsets.UTF_8));
        md5.update((byte) 0);
        md5.update(utf8(table));
        md5.update((byte) 0);
        md5.update(sink.buf, keyStart, keyEnd - keyStart);
        md5.update((byte) 0);
        md5.update(utf8(operation));
        return AuditEvent.nameUuid(md5.digest());
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
            cachedInstantSeconds = seconds;
            cachedInstantNanos = nanos;
        }
        return cachedInstant;
    }

    private static void name(JsonGenerator g, SerializableString field, String value) throws IOException {
        g.writeFieldName(field);
        nullable(g, value);
    }

    private static void nullable(JsonGenerator g, String value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
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

    /** {@code text} as a JSON string, quoted and escaped by the generator. */
    private byte[] quote(String text) {
        try {
            JsonGenerator g = generator();
            g.flush();
            int start = sink.len;
            g.writeString(text);
            g.flush();
            return Arrays.copyOfRange(sink.buf, start, sink.len);
        } catch (IOException e) {
            throw new IllegalStateException("cannot render " + text + " as JSON", e);
        }
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
