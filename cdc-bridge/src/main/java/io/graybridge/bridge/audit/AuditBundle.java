package io.graybridge.bridge.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * The audit events of one lane transaction packed into one outbox row: for each event its id, CloudEvents type,
 * record key and JSON payload, length-prefixed, then LZ4-compressed as one block. A lane transaction of a
 * thousand changes thus costs the outbox one row of a few hundred kilobytes instead of a thousand rows of a
 * kilobyte each, with two index entries, a delete and a WAL record apiece; events of one table are alike, so
 * LZ4 shrinks them several times over. The relay unpacks the row and publishes each event as its own Kafka
 * record, exactly as if it had had a row of its own.
 *
 * <p>Layout: a format byte ({@value #FORMAT}), the uncompressed length (4 bytes, big-endian), the LZ4 block.
 * Uncompressed: per event four fields, each a 4-byte length and that many UTF-8 bytes.
 */
public final class AuditBundle {
    /** The layout written here; another value is refused on reading, naming it. */
    static final byte FORMAT = 1;
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    /** One event of a bundle, as published: its id, CloudEvents type, Kafka record key and JSON payload. */
    public record Entry(String id, String type, String recordKey, byte[] payload) {
        /** The configured topic it goes to. */
        public EventType.Channel channel() {
            return EventType.ofType(type).channel();
        }
    }

    private AuditBundle() {}

    /** {@code events} packed and compressed, in their order. */
    public static byte[] pack(List<AuditEvent> events) {
        List<byte[]> fields = new ArrayList<>(events.size() * 4);
        int raw = 0;
        for (AuditEvent e : events) {
            byte[][] four = {e.id().getBytes(StandardCharsets.UTF_8), e.type().type().getBytes(StandardCharsets.UTF_8),
                e.recordKey().getBytes(StandardCharsets.UTF_8), e.toJsonBytes()};
            for (byte[] f : four) {
                fields.add(f);
                raw += 4 + f.length;
            }
        }
        ByteBuffer plain = ByteBuffer.allocate(raw);
        for (byte[] f : fields) {
            plain.putInt(f.length).put(f);
        }
        int max = COMPRESSOR.maxCompressedLength(raw);
        byte[] out = new byte[5 + max];
        out[0] = FORMAT;
        ByteBuffer.wrap(out, 1, 4).putInt(raw);
        int written = COMPRESSOR.compress(plain.array(), 0, raw, out, 5, max);
        return java.util.Arrays.copyOf(out, 5 + written);
    }

    /**
     * The events of a bundle, in their order.
     *
     * @throws IllegalArgumentException when {@code bundle} is not a bundle this version reads (the message says why)
     */
    public static List<Entry> unpack(byte[] bundle) {
        if (bundle.length < 5 || bundle[0] != FORMAT) {
            throw new IllegalArgumentException("not an audit bundle of format " + FORMAT + " (first byte "
                    + (bundle.length == 0 ? "missing" : String.valueOf(bundle[0])) + ", " + bundle.length + " bytes)");
        }
        int raw = ByteBuffer.wrap(bundle, 1, 4).getInt();
        if (raw < 0) {
            throw new IllegalArgumentException("audit bundle with a negative length " + raw);
        }
        byte[] plain = new byte[raw];
        try {
            int n = DECOMPRESSOR.decompress(bundle, 5, bundle.length - 5, plain, 0);
            if (n != raw) {
                throw new IllegalArgumentException("audit bundle holds " + n + " bytes, its header says " + raw);
            }
        } catch (LZ4Exception e) {
            throw new IllegalArgumentException("audit bundle does not decompress: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(plain);
        List<Entry> out = new ArrayList<>();
        while (in.hasRemaining()) {
            String id = text(in);
            String type = text(in);
            String key = text(in);
            out.add(new Entry(id, type, key, bytes(in)));
        }
        return out;
    }

    private static String text(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer in) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("audit bundle ends inside a field length");
        }
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("audit bundle field of " + n + " bytes, " + in.remaining() + " left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
