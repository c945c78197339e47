package io.graybridge.bridge.audit;

import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The compact binary form of {@link ChangeFacts} inside an {@link AuditBundle} (format 2). Names (tables, columns,
 * lanes, phases, ...) are written once per bundle and then referred to by number; row values keep their canonical
 * Java type (a tag, then a varint, fixed-width number or bytes), so the relay renders exactly the JSON the writer
 * would have rendered. Not thread-safe: one writer or reader per bundle.
 */
final class FactsCodec {
    // value tags (the relay's FactsRenderer reads them too)
    static final int NULL = 0;
    static final int TEXT = 1;
    static final int TRUE = 2;
    static final int FALSE = 3;
    static final int SHORT = 4;
    static final int INT = 5;
    static final int LONG = 6;
    static final int BIG_INTEGER = 7;
    static final int FLOAT = 8;
    static final int DOUBLE = 9;
    static final int BIG_DECIMAL = 10;
    static final int BYTES = 11;
    static final int LOCAL_DATE = 12;
    static final int LOCAL_TIME = 13;
    static final int LOCAL_DATE_TIME = 14;
    static final int OFFSET_DATE_TIME = 15;
    static final int INSTANT = 16;
    static final int UUID_VALUE = 17;

    private FactsCodec() {}

    /** Appends to a growing byte array. */
    static final class Writer implements java.util.function.BiConsumer<String, Object> {
        private byte[] buf;
        private int len;
        private final Map<String, Integer> names = new HashMap<>();

        Writer(int capacity) {
            buf = new byte[Math.max(64, capacity)];
        }

        /** A writer that appends to {@code buffer} (a thread's scratch buffer, reused from bundle to bundle). */
        Writer(byte[] buffer) {
            buf = buffer;
        }

        int length() {
            return len;
        }

        byte[] array() {
            return buf;
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void writeInt(int v) {
            ensure(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        /** An unsigned varint: 7 bits a byte, low bits first. */
        void writeVar(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        /** A signed varint (zigzag). */
        void writeSigned(long v) {
            writeVar((v << 1) ^ (v >> 63));
        }

        /** {@code b} as it is, no length. */
        private void writeRaw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void writeBytes(byte[] b) {
            writeVar(b.length);
            writeRaw(b);
        }

        /** A length-prefixed field of the format-1 layout (4-byte length). */
        void writeField(byte[] b) {
            writeInt(b.length);
            writeRaw(b);
        }

        /** Text that may be null: 0, or its UTF-8 length + 1 and its bytes. */
        void writeText(String s) {
            if (s == null) {
                writeVar(0);
                return;
            }
            int n = s.length();
            if (n < 0x7F && ascii(s, n)) {
                // the common case: its UTF-8 bytes are its characters, written without encoding a copy
                ensure(n + 1);
                buf[len++] = (byte) (n + 1);
                for (int i = 0; i < n; i++) {
                    buf[len++] = (byte) s.charAt(i);
                }
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVar(b.length + 1L);
            writeRaw(b);
        }

        private static boolean ascii(String s, int n) {
            for (int i = 0; i < n; i++) {
                if (s.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        /** A name that may be null: 0, 1 and the text the first time, then its number + 2. */
        void writeName(String s) {
            if (s == null) {
                writeVar(0);
                return;
            }
            Integer known = names.get(s);
            if (known != null) {
                writeVar(known + 2L);
                return;
            }
            names.put(s, names.size());
            writeVar(1);
            writeText(s);
        }

        void writeNames(List<String> list) {
            if (list == null) {
                writeVar(0);
                return;
            }
            writeVar(list.size() + 1L);
            for (String s : list) {
                writeName(s);
            }
        }

        void writeInstant(Instant t) {
            if (t == null) {
                writeByte(0);
                return;
            }
            writeByte(1);
            writeSigned(t.getEpochSecond());
            writeVar(t.getNano());
        }

        void writeRow(Row row) {
            if (row == null) {
                writeVar(0);
                return;
            }
            writeVar(row.size() + 1L);
            row.asMap().forEach(this); // no iterator and entry views per row, as the unmodifiable map's entrySet() makes
        }

        /** One column of a row ({@link #writeRow}). */
        @Override
        public void accept(String column, Object value) {
            writeName(column);
            writeValue(value);
        }

        void writeValue(Object v) {
            if (v == null) {
                writeByte(NULL);
            } else if (v instanceof String s) {
                writeByte(TEXT);
                writeText(s);
            } else if (v instanceof Long l) {
                writeByte(LONG);
                writeSigned(l);
            } else if (v instanceof Integer i) {
                writeByte(INT);
                writeSigned(i);
            } else if (v instanceof Boolean b) {
                writeByte(b ? TRUE : FALSE);
            } else if (v instanceof BigDecimal d) {
                writeByte(BIG_DECIMAL);
                writeSigned(d.scale());
                writeBytes(d.unscaledValue().toByteArray());
            } else if (v instanceof Short s) {
                writeByte(SHORT);
                writeSigned(s);
            } else if (v instanceof Double d) {
                writeByte(DOUBLE);
                writeLong(Double.doubleToRawLongBits(d));
            } else if (v instanceof Float f) {
                writeByte(FLOAT);
                writeInt(Float.floatToRawIntBits(f));
            } else if (v instanceof BigInteger b) {
                writeByte(BIG_INTEGER);
                writeBytes(b.toByteArray());
            } else if (v instanceof byte[] b) {
                writeByte(BYTES);
                writeBytes(b);
            } else if (v instanceof LocalDateTime t) {
                writeByte(LOCAL_DATE_TIME);
                writeSigned(t.toLocalDate().toEpochDay());
                writeVar(t.toLocalTime().toNanoOfDay());
            } else if (v instanceof OffsetDateTime t) {
                writeByte(OFFSET_DATE_TIME);
                writeSigned(t.toLocalDate().toEpochDay());
                writeVar(t.toLocalTime().toNanoOfDay());
                writeSigned(t.getOffset().getTotalSeconds());
            } else if (v instanceof Instant t) {
                writeByte(INSTANT);
                writeSigned(t.getEpochSecond());
                writeVar(t.getNano());
            } else if (v instanceof LocalDate d) {
                writeByte(LOCAL_DATE);
                writeSigned(d.toEpochDay());
            } else if (v instanceof LocalTime t) {
                writeByte(LOCAL_TIME);
                writeVar(t.toNanoOfDay());
            } else if (v instanceof UUID u) {
                writeByte(UUID_VALUE);
                writeLong(u.getMostSignificantBits());
                writeLong(u.getLeastSignificantBits());
            } else if (v instanceof Number n) {
                // not a canonical value (Row lists them): as the decimal it reads as, the nearest JSON has
                writeByte(BIG_DECIMAL);
                BigDecimal d = new BigDecimal(n.toString());
                writeSigned(d.scale());
                writeBytes(d.unscaledValue().toByteArray());
            } else {
                // not a canonical value either: as the text an event shows of it
                writeByte(TEXT);
                writeText(String.valueOf(JsonValues.of(v)));
            }
        }

        void writeFacts(ChangeFacts f) {
            writeName(f.bridge());
            writeName(f.lane());
            writeName(f.sourceSide());
            writeName(f.targetSide());
            writeName(f.mapping());
            writeName(f.sourceTable());
            writeName(f.table());
            writeRow(f.key());
            writeNames(f.keyColumns());
            writeName(f.operation());
            writeName(f.sourceOperation());
            writeName(f.action());
            writeNames(f.setColumns());
            writeName(f.conflict());
            writeName(f.winner());
            writeRow(f.before());
            writeRow(f.after());
            writeByte(f.sourceImages().ordinal());
            writeRow(f.sourceBefore());
            writeRow(f.sourceAfter());
            writeText(f.position());
            writeText(f.transaction());
            writeInstant(f.commitTime());
            writeName(f.phase());
            writeInstant(f.time());
        }
    }

    /** Reads what a {@link Writer} wrote; every overrun or unknown tag is an {@link IllegalArgumentException}. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;
        private final List<String> names = new ArrayList<>();
        /** The number of the name {@link #readName} read last in this bundle, -1 for null. */
        private int nameIndex = -1;

        Reader(byte[] buf, int offset, int end) {
            this.buf = buf;
            this.pos = offset;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        private void need(int n) {
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("audit bundle ends inside a field (" + n + " bytes wanted at offset "
                        + pos + ", " + (end - pos) + " left)");
            }
        }

        int readByte() {
            need(1);
            return buf[pos++] & 0xff;
        }

        int readInt() {
            need(4);
            int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        long readLong() {
            long hi = readInt();
            return (hi << 32) | (readInt() & 0xffffffffL);
        }

        long readVar() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("audit bundle holds a malformed varint at offset " + pos);
        }

        long readSigned() {
            long v = readVar();
            return (v >>> 1) ^ -(v & 1);
        }

        private int length(long v) {
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("audit bundle holds a length of " + v + " at offset " + pos);
            }
            return (int) v;
        }

        byte[] readBytes() {
            int n = length(readVar());
            need(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        /** A format-1 field: a 4-byte length and that many bytes. */
        byte[] readField() {
            if (end - pos < 4) {
                throw new IllegalArgumentException("audit bundle ends inside a field length");
            }
            int n = readInt();
            if (n < 0 || n > end - pos) {
                throw new IllegalArgumentException("audit bundle field of " + n + " bytes, " + (end - pos) + " left");
            }
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        String readText() {
            long v = readVar();
            if (v == 0) {
                return null;
            }
            int n = length(v - 1);
            need(n);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /**
         * Text that may be null, left where it is: its UTF-8 length, its bytes at {@link #position()} in
         * {@link #buffer()} (the caller then {@link #skip}s them), or -1 for null. Saves decoding a string that is
         * only copied on.
         */
        int readTextLength() {
            long v = readVar();
            if (v == 0) {
                return -1;
            }
            int n = length(v - 1);
            need(n);
            return n;
        }

        byte[] buffer() {
            return buf;
        }

        int position() {
            return pos;
        }

        void skip(int n) {
            need(n);
            pos += n;
        }

        String readName() {
            long v = readVar();
            if (v == 0) {
                nameIndex = -1;
                return null;
            }
            if (v == 1) {
                String s = readText();
                if (s == null) {
                    throw new IllegalArgumentException("audit bundle defines a null name at offset " + pos);
                }
                nameIndex = names.size();
                names.add(s);
                return s;
            }
            if (v - 2 >= names.size()) {
                throw new IllegalArgumentException("audit bundle refers to name #" + (v - 2) + " of " + names.size());
            }
            nameIndex = (int) (v - 2);
            return names.get(nameIndex);
        }

        /**
         * The number in this bundle of the name {@link #readName} read last (names are numbered from 0 in the order
         * they are first written), or -1 when it read null: lets the renderer keep what it made of a name per number.
         */
        int nameIndex() {
            return nameIndex;
        }

        /** {@link #readNames} into {@code out} (cleared first); returns false, with {@code out} empty, for null. */
        boolean readNamesInto(List<String> out) {
            out.clear();
            long v = readVar();
            if (v == 0) {
                return false;
            }
            int n = length(v - 1);
            for (int i = 0; i < n; i++) {
                out.add(readName());
            }
            return true;
        }

        List<String> readNames() {
            long v = readVar();
            if (v == 0) {
                return null;
            }
            int n = length(v - 1);
            List<String> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(readName());
            }
            return List.copyOf(out);
        }

        Instant readInstant() {
            int present = readByte();
            if (present == 0) {
                return null;
            }
            long seconds = readSigned();
            return Instant.ofEpochSecond(seconds, readVar());
        }

        Row readRow() {
            long v = readVar();
            if (v == 0) {
                return null;
            }
            int n = length(v - 1);
            Row.Builder b = Row.builder();
            for (int i = 0; i < n; i++) {
                String name = readName();
                if (name == null) {
                    throw new IllegalArgumentException("audit bundle holds a column without a name at offset " + pos);
                }
                b.put(name, readValue());
            }
            return b.build();
        }

        Object readValue() {
            return readValue(readByte());
        }

        /** The value after its tag, which the caller read. */
        Object readValue(int tag) {
            return switch (tag) {
                case NULL -> null;
                case TEXT -> readText();
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case SHORT -> (short) readSigned();
                case INT -> (int) readSigned();
                case LONG -> readSigned();
                case BIG_INTEGER -> new BigInteger(readBytes());
                case FLOAT -> Float.intBitsToFloat(readInt());
                case DOUBLE -> Double.longBitsToDouble(readLong());
                case BIG_DECIMAL -> {
                    int scale = (int) readSigned();
                    yield new BigDecimal(new BigInteger(readBytes()), scale);
                }
                case BYTES -> readBytes();
                case LOCAL_DATE -> LocalDate.ofEpochDay(readSigned());
                case LOCAL_TIME -> LocalTime.ofNanoOfDay(readVar());
                case LOCAL_DATE_TIME -> {
                    LocalDate d = LocalDate.ofEpochDay(readSigned());
                    yield LocalDateTime.of(d, LocalTime.ofNanoOfDay(readVar()));
                }
                case OFFSET_DATE_TIME -> {
                    LocalDate d = LocalDate.ofEpochDay(readSigned());
                    LocalTime t = LocalTime.ofNanoOfDay(readVar());
                    yield OffsetDateTime.of(d, t, ZoneOffset.ofTotalSeconds((int) readSigned()));
                }
                case INSTANT -> {
                    long seconds = readSigned();
                    yield Instant.ofEpochSecond(seconds, readVar());
                }
                case UUID_VALUE -> new UUID(readLong(), readLong());
                default -> throw new IllegalArgumentException("audit bundle holds an unknown value tag " + tag
                        + " at offset " + (pos - 1));
            };
        }

        ChangeFacts readFacts() {
            String bridge = readName();
            String lane = readName();
            String sourceSide = readName();
            String targetSide = readName();
            String mapping = readName();
            String sourceTable = readName();
            String table = readName();
            Row key = readRow();
            List<String> keyColumns = readNames();
            String operation = readName();
            String sourceOperation = readName();
            String action = readName();
            List<String> setColumns = readNames();
            String conflict = readName();
            String winner = readName();
            Row before = readRow();
            Row after = readRow();
            int images = readByte();
            if (images >= ChangeFacts.SourceImages.values().length) {
                throw new IllegalArgumentException("audit bundle holds an unknown source-images mark " + images);
            }
            Row sourceBefore = readRow();
            Row sourceAfter = readRow();
            String position = readText();
            String transaction = readText();
            Instant commitTime = readInstant();
            String phase = readName();
            Instant time = readInstant();
            try {
                return new ChangeFacts(bridge, lane, sourceSide, targetSide, mapping, sourceTable, table, key, keyColumns,
                        operation, sourceOperation, action, setColumns, conflict, winner, before, after,
                        ChangeFacts.SourceImages.values()[images], sourceBefore, sourceAfter, position, transaction,
                        commitTime, phase, time);
            } catch (NullPointerException e) {
                throw new IllegalArgumentException("audit bundle holds a change without its " + e.getMessage(), e);
            }
        }
    }
}
