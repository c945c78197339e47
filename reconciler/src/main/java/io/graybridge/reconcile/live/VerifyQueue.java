package io.graybridge.reconcile.live;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keys waiting for continuous verification: bounded, one entry per key (a key applied again while it
 * waits moves to the back with a fresh delay and a clean slate), in due order. Thread-safe; pure (time is
 * passed in), so its rules are unit-tested.
 */
public final class VerifyQueue {
    /** One key of one mapping, in v2 key column order. */
    public record Key(String mapping, List<Object> values) {
        public Key {
            Objects.requireNonNull(mapping, "mapping");
            values = List.copyOf(values);
        }
    }

    /**
     * A key due for a check.
     *
     * @param attempt 0 for the first check after it was applied, 1 for the check after a mismatch
     */
    public record Due(Key key, int attempt) {}

    private final long delayNanos;
    private final int capacity;
    private final Map<Key, long[]> waiting = new LinkedHashMap<>(); // {due nanos, attempt}
    private long overflowed;

    public VerifyQueue(long delayNanos, int capacity) {
        if (delayNanos < 0 || capacity < 1) {
            throw new IllegalArgumentException("delay >= 0 and capacity >= 1");
        }
        this.delayNanos = delayNanos;
        this.capacity = capacity;
    }

    /**
     * Queues a key a lane just applied. A key already waiting is moved to the back with a fresh delay and
     * its mismatch forgotten (a newer change decides). Returns false, and counts an overflow, when the
     * queue is full.
     */
    public synchronized boolean applied(Key key, long now) {
        if (waiting.remove(key) == null && waiting.size() >= capacity) {
            overflowed++;
            return false;
        }
        waiting.put(key, new long[] {now + delayNanos, 0});
        return true;
    }

    /**
     * Queues a key that differed on its first check for one more check after the delay, unless it was
     * applied again meanwhile (then that newer entry decides). Never counts as overflow: the key held a
     * place a moment ago.
     */
    public synchronized void mismatched(Key key, long now) {
        waiting.putIfAbsent(key, new long[] {now + delayNanos, 1});
    }

    /** Whether the key waits again (applied again since it was taken): its older outcome does not count. */
    public synchronized boolean waiting(Key key) {
        return waiting.containsKey(key);
    }

    /** Takes up to {@code max} keys whose delay has passed, oldest first. */
    public synchronized List<Due> takeDue(long now, int max) {
        List<Due> out = new ArrayList<>();
        Iterator<Map.Entry<Key, long[]>> it = waiting.entrySet().iterator();
        while (it.hasNext() && out.size() < max) {
            Map.Entry<Key, long[]> e = it.next();
            if (e.getValue()[0] - now > 0) {
                break; // entries are in due order: every one is queued with the same delay
            }
            out.add(new Due(e.getKey(), (int) e.getValue()[1]));
            it.remove();
        }
        return out;
    }

    public synchronized int size() {
        return waiting.size();
    }

    /** Keys not queued because the queue was full, since the start. */
    public synchronized long overflowed() {
        return overflowed;
    }
}
