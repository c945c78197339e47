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
 * The audit records of one lane transaction packed into one outbox row, LZ4-compressed as one block. A lane
 * transaction of a thousand changes thus costs the outbox one row instead of a thousand, with two index entries, a
 * delete and a WAL record apiece; records of one table are alike, so LZ4 shrinks them several times over. The relay
 * unpacks the row and publishes each event as its own Kafka record, exactly as if it had had a row of its own.
 *
 * <p>Layout: a format byte, the uncompressed length (4 bytes, big-endian), the LZ4 block. Two formats are read:
 * <ul>
 *   <li>{@value #FORMAT_EVENTS} (written before schema V9's release, still read): per event four fields, each a
 *       4-byte length and that many UTF-8 bytes: id, CloudEvents type, record key, JSON payload.
 *   <li>{@value #FORMAT_FACTS} (written now): per record a kind byte, then either a rendered event in the four
 *       fields above ({@code conflict.resolved}, masked already) or the {@link ChangeFacts} of an applied change in
 *       the compact binary form of {@link FactsCodec}, which {@link #unpack} renders (masking included) into the
 *       event the writer used to render itself, byte for byte.
 * </ul>
 */
public final class AuditBundle {
    /** The layout of bundles of rendered events, written by earlier versions. */
    static final byte FORMAT_EVENTS = 1;
    /** The layout written now: rendered events and the facts of applied changes. */
    static final byte FORMAT_FACTS = 2;
    private static final int KIND_EVENT = 1;
    private static final int KIND_FACTS = 2;
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestJavaInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestJavaInstance().safeDecompressor();

    /** One event of a bundle, as published: its id, CloudEvents type, Kafka record key and JSON payload. */
    public record Entry(String id, String type, String recordKey, byte[] payload) {
        /** The configured topic it goes to. */
        public EventType.Channel channel() {
            return EventType.ofType(type).channel();
        }
    }

    private AuditBundle() {}

    /**
     * {@code records} packed and compressed in their order (format {@value #FORMAT_FACTS}): the facts of applied
     * changes as they are, unmasked and unrendered; events rendered already as their JSON.
     */
    public static byte[] pack(List<? extends AuditRecord> records) {
        Scratch scratch = SCRATCH.get();
        FactsCodec.Writer w = new FactsCodec.Writer(scratch.plain);
        for (AuditRecord r : records) {
            if (r instanceof ChangeFacts f) {
                w.writeByte(KIND_FACTS);
                w.writeFacts(f);
            } else {
                AuditEvent e = (AuditEvent) r;
                w.writeByte(KIND_EVENT);
                writeEvent(w, e);
            }
        }
        byte[] plain = w.array();
        if (plain.length <= Scratch.KEEP) {
            scratch.plain = plain; // grown for this bundle: the next one starts there
        }
        return compress(FORMAT_FACTS, plain, w.length(), scratch);
    }

    /**
     * A thread's buffers for packing bundles (the lane's apply thread packs one per transaction): the facts and their
     * compressed form are written into arrays reused from bundle to bundle, and only the finished bundle is copied
     * out. Buffers that grew past {@link #KEEP} for one big bundle are not kept.
     */
    private static final class Scratch {
        static final int KEEP = 4 << 20;
        byte[] plain = new byte[64 * 1024];
        byte[] compressed = new byte[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * {@code events} in the layout of earlier versions (format {@value #FORMAT_EVENTS}), which outboxes may still
     * hold at an upgrade: for tests that prove such rows are still published.
     */
    public static byte[] packRendered(List<AuditEvent> events) {
        FactsCodec.Writer w = new FactsCodec.Writer(1024 * events.size());
        for (AuditEvent e : events) {
            writeEvent(w, e);
        }
        return compress(FORMAT_EVENTS, w.array(), w.length(), new Scratch());
    }

    private static void writeEvent(FactsCodec.Writer w, AuditEvent e) {
        w.writeField(e.id().getBytes(StandardCharsets.UTF_8));
        w.writeField(e.type().type().getBytes(StandardCharsets.UTF_8));
        w.writeField(e.recordKey().getBytes(StandardCharsets.UTF_8));
        w.writeField(e.toJsonBytes());
    }

    private static byte[] compress(byte format, byte[] plain, int raw, Scratch scratch) {
        int max = COMPRESSOR.maxCompressedLength(raw);
        byte[] out = scratch.compressed;
        if (out.length < 5 + max) {
            out = new byte[5 + max];
            if (out.length <= Scratch.KEEP) {
                scratch.compressed = out;
            }
        }
        out[0] = format;
        out[1] = (byte) (raw >>> 24);
        out[2] = (byte) (raw >>> 16);
        out[3] = (byte) (raw >>> 8);
        out[4] = (byte) raw;
        int written = COMPRESSOR.compress(plain, 0, raw, out, 5, max);
        return java.util.Arrays.copyOf(out, 5 + written);
    }

    /**
     * The events of a bundle of either format, in their order, as published: the facts of applied changes rendered
     * with their sensitive columns hidden by {@code masker}.
     *
     * @throws IllegalArgumentException when {@code bundle} is not a bundle this version reads (the message says why)
     */
    public static List<Entry> unpack(byte[] bundle, ColumnMasker masker) {
        return unpack(bundle, new FactsRenderer(masker));
    }

    /** {@link #unpack(byte[], ColumnMasker)} with the caller's renderer (the relay keeps one for all its rounds). */
    static List<Entry> unpack(byte[] bundle, FactsRenderer renderer) {
        List<Entry> out = new ArrayList<>();
        read(bundle, renderer::plainBuffer, out::add, in -> out.add(renderer.render(in)));
        return out;
    }

    /** The ids of a bundle's events, in their order (nothing is rendered). */
    public static List<String> ids(byte[] bundle) {
        List<String> out = new ArrayList<>();
        read(bundle, byte[]::new, e -> out.add(e.id()), in -> out.add(in.readFacts().id()));
        return out;
    }

    /**
     * Decompresses {@code bundle} into a buffer of at least its length from {@code buffers} (the relay reuses one for
     * every bundle: all of it is read before the next) and hands each record on.
     */
    private static void read(byte[] bundle, java.util.function.IntFunction<byte[]> buffers,
            java.util.function.Consumer<Entry> events, java.util.function.Consumer<FactsCodec.Reader> facts) {
        if (bundle.length < 5 || (bundle[0] != FORMAT_EVENTS && bundle[0] != FORMAT_FACTS)) {
            throw new IllegalArgumentException("not an audit bundle of format " + FORMAT_EVENTS + " or " + FORMAT_FACTS
                    + " (first byte " + (bundle.length == 0 ? "missing" : String.valueOf(bundle[0])) + ", "
                    + bundle.length + " bytes)");
        }
        int raw = ByteBuffer.wrap(bundle, 1, 4).getInt();
        if (raw < 0) {
            throw new IllegalArgumentException("audit bundle with a negative length " + raw);
        }
        byte[] plain = buffers.apply(raw);
        try {
            int n = DECOMPRESSOR.decompress(bundle, 5, bundle.length - 5, plain, 0, raw);
            if (n != raw) {
                throw new IllegalArgumentException("audit bundle holds " + n + " bytes, its header says " + raw);
            }
        } catch (LZ4Exception e) {
            throw new IllegalArgumentException("audit bundle does not decompress: " + e.getMessage(), e);
        }
        FactsCodec.Reader in = new FactsCodec.Reader(plain, 0, raw);
        boolean withKinds = bundle[0] == FORMAT_FACTS;
        while (in.hasMore()) {
            int kind = withKinds ? in.readByte() : KIND_EVENT;
            if (kind == KIND_EVENT) {
                String id = text(in.readField());
                String type = text(in.readField());
                String key = text(in.readField());
                events.accept(new Entry(id, type, key, in.readField()));
            } else if (kind == KIND_FACTS) {
                facts.accept(in);
            } else {
                throw new IllegalArgumentException("audit bundle holds a record of unknown kind " + kind);
            }
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
