package io.graybridge.bridge.capture;

import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What one lane's capture knows of its source side under {@code latest-wins} with both lanes on (ARCHITECTURE.md,
 * "latest-wins: the build plan"): the <em>captured position</em> (the commit position of the last complete source
 * transaction read, echoes included) and, per source key read since the lane's stored offset, the source side's last
 * application write of the key (position, tombstone, stamp) and the key's current version on the source side (stamp
 * and side: an application write's, or one a bridge mark named). One per lane, owned by the lane's capture, which
 * updates it in log order; the reverse lane's barrier (step 3 of the plan) reads it through {@link #read}, which
 * returns the captured position and the knowledge of a set of keys in one critical section.
 *
 * <p>Memory holds only keys read since the stored offset (and the keys of batches not applied yet): what was stored in
 * {@code key_write} with an applied batch is forgotten ({@link #forgetStored}) and read back from there through the
 * {@link Store} when a later application write of the key needs its version. A restart ({@link #reset}) forgets
 * everything: the stored offset and {@code key_write} are consistent, so reading the source again from the offset
 * computes the same stamps.
 *
 * <p>Stamps ({@link #stamp}): the source commit time in milliseconds, raised to order after the version the write
 * overwrote in latest-wins' order (stamp, then v1 on a tie): a v1 write over a v2 version at least the same
 * millisecond, any other write at least the next one.
 *
 * <p>Thread-safe: one lock (this object's monitor) guards everything.
 */
public final class CaptureKnowledge {

    /** An application write of a key on the source side: its commit position, whether it deleted the row, its stamp. */
    public record Write(long position, boolean tombstone, Instant stamp) {}

    /** A key's current version on the source side: its stamp and the side whose application wrote it. */
    public record Version(Instant stamp, Side side) {}

    /**
     * What is known of one key.
     *
     * @param hash the key's identity ({@code apply.KeyText.hash} of the source table and key text), 32 bytes
     * @param table the source table, or {@code null} when the key is known only from a mark (by its hash)
     * @param key the key's text, or {@code null} likewise
     * @param lastWrite the source side's last application write known in memory, or {@code null} when none was read
     *     since the stored offset ({@code key_write} holds the stored one)
     * @param version the key's current version, or {@code null} when none is known (a row no write was read for)
     */
    public record Known(ByteBuffer hash, String table, String key, Write lastWrite, Version version) {}

    /** The captured position and the knowledge of some keys, read in one critical section ({@link #read}). */
    public record View(long capturedPosition, Map<ByteBuffer, Known> keys) {}

    /** How capture names a source key: the same identity the reverse lane's writer gives the key on this side. */
    public interface Keys {
        /** The key text of {@code row} in source table {@code table}, or {@code null} when the table has no key. */
        String keyText(String table, io.graybridge.mapping.Row row);

        /** The identity (32 bytes) of key {@code keyText} of source table {@code table}. */
        ByteBuffer hash(String table, String keyText);
    }

    /** Where knowledge as of the stored offset is kept ({@code key_write} on the lane's target). */
    @FunctionalInterface
    public interface Store {
        /** The stored knowledge of {@code hashes}; keys without a stored row are left out. */
        Map<ByteBuffer, Known> load(Collection<ByteBuffer> hashes);
    }

    private static final class Entry {
        String table;
        String key;
        Write lastWrite;
        Version version;
        boolean dirty;
        /** The hand-over that stores this entry's state: 0 durable (loaded), -1 drained and not yet handed over. */
        long storedBy;
    }

    private final Side source;
    private final Map<ByteBuffer, Entry> keys = new HashMap<>();
    /** Keys in order of their last change since the last {@link #drainChanged}. */
    private final LinkedHashMap<ByteBuffer, Boolean> changed = new LinkedHashMap<>();
    /** Hand-overs whose entries may be forgotten once applied: (sequence number, keys). */
    private final Deque<Map.Entry<Long, List<ByteBuffer>>> handed = new ArrayDeque<>();
    private List<ByteBuffer> drained = List.of();
    private long captured = SourcePositions.NONE;
    /** Positions the reverse lane's barrier waits for ({@link #awaitCaptured}), with how many waiters wait for each. */
    private final java.util.TreeMap<Long, Integer> demands = new java.util.TreeMap<>();

    /** @param source the lane's source side: the side of every application write this knowledge records */
    public CaptureKnowledge(Side source) {
        this.source = source;
    }

    /** The lane's source side. */
    public Side source() {
        return source;
    }

    /**
     * The stamp of an application write of {@code writer} committed at {@code commitTime}, over {@code overwritten}
     * (the key's current version in log order, {@code null} for none): the commit time in milliseconds, raised so that
     * the write orders after the version in latest-wins' order (stamp, then v1): a v1 write over a v2 version to at
     * least the same millisecond, any other write to at least the next one.
     */
    public static Instant stamp(Side writer, Instant commitTime, Version overwritten) {
        Instant time = commitTime.truncatedTo(ChronoUnit.MILLIS);
        if (overwritten == null) {
            return time;
        }
        Instant floor = writer == Side.V1 && overwritten.side() == Side.V2
                ? overwritten.stamp()
                : overwritten.stamp().plusMillis(1);
        return time.isBefore(floor) ? floor : time;
    }

    /** Whether the version of {@code hash} is known in memory (else {@link #preload} it before {@link #write}). */
    public synchronized boolean inMemory(ByteBuffer hash) {
        return keys.containsKey(hash);
    }

    /** Adds stored knowledge of keys not in memory (read from the {@link Store} outside the lock). */
    public synchronized void preload(Map<ByteBuffer, Known> stored) {
        stored.forEach((hash, k) -> keys.computeIfAbsent(hash, h -> {
            Entry e = new Entry();
            e.table = k.table();
            e.key = k.key();
            e.lastWrite = k.lastWrite();
            e.version = k.version();
            return e;
        }));
    }

    /**
     * Records an application write of the source side, read in log order, and returns its stamp ({@link #stamp}) over
     * the key's current version, which the write then becomes. Knowledge of a key not in memory must have been
     * {@link #preload}ed (a key with no stored row has no version).
     *
     * @param hash the key's identity
     * @param table the source table
     * @param key the key's text
     * @param position the write's commit position
     * @param tombstone whether it deleted the row
     * @param commitTime its source commit time
     */
    public synchronized Instant write(ByteBuffer hash, String table, String key, long position, boolean tombstone,
            Instant commitTime) {
        Entry e = keys.computeIfAbsent(hash, h -> new Entry());
        Instant stamp = stamp(source, commitTime, e.version);
        e.table = table;
        e.key = key;
        e.lastWrite = new Write(position, tombstone, stamp);
        e.version = new Version(stamp, source);
        changed(hash, e);
        return stamp;
    }

    /**
     * Records a version the bridge wrote on the source side, read in log order from a mark of the reverse lane: the
     * key's current version from here on.
     */
    public synchronized void version(ByteBuffer hash, Instant stamp, Side side) {
        Entry e = keys.computeIfAbsent(hash, h -> new Entry());
        e.version = new Version(stamp, side);
        changed(hash, e);
    }

    private void changed(ByteBuffer hash, Entry e) {
        e.dirty = true;
        changed.remove(hash);
        changed.put(hash, Boolean.TRUE);
    }

    /** Capture read a complete source transaction committed at {@code position} (an echo or not). */
    public synchronized void captured(long position) {
        if (position > captured) {
            captured = position;
            notifyAll();
        }
    }

    /** The commit position of the last complete source transaction read, or {@link SourcePositions#NONE}. */
    public synchronized long capturedPosition() {
        return captured;
    }

    /**
     * The captured position and what is known in memory of {@code hashes}, in one critical section: a key missing from
     * the answer was not read since the stored offset ({@code key_write} holds what is known of it).
     */
    public synchronized View read(Collection<ByteBuffer> hashes) {
        Map<ByteBuffer, Known> out = new LinkedHashMap<>();
        for (ByteBuffer h : hashes) {
            Entry e = keys.get(h);
            if (e != null) {
                out.put(h, known(h, e));
            }
        }
        return new View(captured, out);
    }

    /**
     * Waits until the captured position reaches {@code position}, then reads like {@link #read}, in the same critical
     * section (the barrier of the reverse lane: ARCHITECTURE.md, "latest-wins: the build plan", step 3). While it waits,
     * {@link #demanded} names the position, so that capture, finding its queue full, reads on (knowledge-only) rather
     * than block: the waiting lane and this lane's apply may otherwise wait for each other.
     *
     * @param position the target's position the reverse lane's locked read saw
     * @param hashes the keys to read
     * @param maxMillis how long to wait at most (the caller waits in slices, committing watermarks between them)
     * @return the captured position and the keys' knowledge, or {@code null} when {@code maxMillis} passed first
     * @throws InterruptedException when the waiting thread is interrupted (its demand is withdrawn)
     */
    public synchronized View awaitCaptured(long position, Collection<ByteBuffer> hashes, long maxMillis)
            throws InterruptedException {
        if (captured < position) {
            demands.merge(position, 1, Integer::sum);
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxMillis);
                while (captured < position) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } finally {
                demands.computeIfPresent(position, (p, n) -> n == 1 ? null : n - 1);
            }
        }
        return read(hashes);
    }

    /**
     * The greatest position a waiter of {@link #awaitCaptured} waits for and capture has not reached yet, or {@link
     * SourcePositions#NONE} when none waits: capture with a full queue reads on while this is not {@code NONE}.
     */
    public synchronized long demanded() {
        if (demands.isEmpty()) {
            return SourcePositions.NONE;
        }
        long greatest = demands.lastKey();
        return greatest > captured ? greatest : SourcePositions.NONE;
    }

    /**
     * The knowledge of every key changed since the last call, in order of its last change, to be stored with the batch
     * capture hands over next (its offset covers exactly these changes). Follow with {@link #handedOver}.
     */
    public synchronized List<Known> drainChanged() {
        List<Known> out = new ArrayList<>(changed.size());
        List<ByteBuffer> hashes = new ArrayList<>(changed.size());
        for (ByteBuffer h : changed.keySet()) {
            Entry e = keys.get(h);
            e.dirty = false;
            e.storedBy = -1;
            out.add(known(h, e));
            hashes.add(h);
        }
        changed.clear();
        drained = hashes;
        return out;
    }

    /** The knowledge last drained goes with the hand-over numbered {@code seq} (ApplyThread's sequence number). */
    public synchronized void handedOver(long seq) {
        for (ByteBuffer h : drained) {
            Entry e = keys.get(h);
            if (e != null && e.storedBy == -1) {
                e.storedBy = seq;
            }
        }
        if (!drained.isEmpty()) {
            handed.addLast(Map.entry(seq, drained));
        }
        drained = List.of();
    }

    /**
     * Forgets keys whose knowledge is stored with an applied batch ({@code applied} tells which sequence numbers are)
     * and unchanged since: {@code key_write} holds it.
     */
    public synchronized void forgetStored(LongPredicate applied) {
        while (!handed.isEmpty() && applied.test(handed.peekFirst().getKey())) {
            Map.Entry<Long, List<ByteBuffer>> h = handed.pollFirst();
            for (ByteBuffer hash : h.getValue()) {
                Entry e = keys.get(hash);
                if (e != null && !e.dirty && e.storedBy == h.getKey()) {
                    keys.remove(hash);
                }
            }
        }
    }

    /** Keys held in memory (for tests and metrics). */
    public synchronized int size() {
        return keys.size();
    }

    /**
     * Forgets everything: capture reads its source again from the stored offset, with {@code key_write} holding the
     * knowledge as of that offset.
     */
    public synchronized void reset() {
        keys.clear();
        changed.clear();
        handed.clear();
        drained = List.of();
        captured = SourcePositions.NONE;
    }

    private static Known known(ByteBuffer h, Entry e) {
        return new Known(h, e.table, e.key, e.lastWrite, e.version);
    }
}
