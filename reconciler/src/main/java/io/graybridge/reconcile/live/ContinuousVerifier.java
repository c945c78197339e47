package io.graybridge.reconcile.live;

import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Continuous verification: every key a lane applied is read again on both sides after a short delay and
 * compared through the mapping (the idea of Ghostferry's inline verifier and the delayed confirmation of
 * Oracle Veridata and AWS DMS), so drift made after the bridge wrote (a foreign write, a trigger, a lost
 * update) is found within seconds.
 *
 * <p>A key that differs is read once more after the same delay; only a key that still differs, and was
 * not applied again in between, is a finding. A key applied again while it waits is checked once, after
 * its newest change. Keys that do not fit the bounded queue are counted, not verified. Findings and
 * counters go to a {@link Sink} after each pass, from the verifier's own thread.
 */
public final class ContinuousVerifier implements AutoCloseable {
    private static final int KEYS_PER_PASS = 2_000;
    private static final int KEYS_PER_QUERY = 500;

    /** One mapped table, as the verifier reads it. */
    public record Target(TableMapping mapping, SideTable v1, SideTable v2) {}

    /**
     * A persistent difference.
     *
     * @param mapping the mapping's name
     * @param key the key, as text in v2 column names
     * @param detail what differs: the kind and the differing columns, never their values
     * @param at when it was found
     */
    public record Finding(String mapping, String key, String detail, Instant at) {}

    /** Receives what each pass did (counts since the previous call), on the verifier's thread. */
    @FunctionalInterface
    public interface Sink {
        void record(long keysChecked, List<Finding> findings, long overflowed);

        /** A pass failed (e.g. a side unreachable); the keys it took are not verified. */
        default void failed(String message) {}
    }

    private final Map<String, Target> targets;
    private final VerifyQueue queue;
    private final CompareOptions options;
    private final Sink sink;
    private final long delayMillis;
    private ScheduledExecutorService thread;
    private long overflowReported;
    private volatile long checked;
    private volatile long findings;
    private volatile Finding newest;

    public ContinuousVerifier(List<Target> targets, Duration delay, int capacity, CompareOptions options, Sink sink) {
        this.targets = new LinkedHashMap<>();
        targets.forEach(t -> this.targets.put(t.mapping().name(), t));
        this.queue = new VerifyQueue(delay.toNanos(), capacity);
        this.options = options.withSampleLimit(KEYS_PER_QUERY);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.delayMillis = delay.toMillis();
    }

    /**
     * Queues a key a lane just applied. Cheap; called on the lane's thread after its commit.
     *
     * @param v2Row a v2 row (or key) of the mapping holding at least the v2 key columns
     */
    public void applied(String mapping, io.graybridge.mapping.Row v2Row) {
        Target t = targets.get(mapping);
        if (t != null) {
            queue.applied(new VerifyQueue.Key(mapping, LiveCheck.values(v2Row, t.v2().key())), System.nanoTime());
        }
    }

    /** Starts the verifier's thread: a pass every quarter of the delay (at least 50 ms, at most 1 s). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graybridge-verifier");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, delayMillis / 4));
        thread.scheduleWithFixedDelay(this::passSafely, period, period, TimeUnit.MILLISECONDS);
    }

    private void passSafely() {
        try {
            pass(System.nanoTime());
        } catch (RuntimeException e) {
            sink.failed(e.getMessage());
        }
    }

    /** Checks every key whose delay has passed by {@code now}; returns how many it checked. */
    public int pass(long now) {
        int total = 0;
        List<Finding> found = new ArrayList<>();
        while (true) {
            List<VerifyQueue.Due> due = queue.takeDue(now, KEYS_PER_PASS);
            if (due.isEmpty()) {
                break;
            }
            Map<String, List<VerifyQueue.Due>> byMapping = new LinkedHashMap<>();
            due.forEach(d -> byMapping.computeIfAbsent(d.key().mapping(), m -> new ArrayList<>()).add(d));
            byMapping.forEach((mapping, keys) -> {
                for (int i = 0; i < keys.size(); i += KEYS_PER_QUERY) {
                    check(targets.get(mapping), keys.subList(i, Math.min(keys.size(), i + KEYS_PER_QUERY)), found);
                }
            });
            total += due.size();
            if (due.size() < KEYS_PER_PASS) {
                break;
            }
        }
        long overflow = queue.overflowed();
        if (total > 0 || !found.isEmpty() || overflow > overflowReported) {
            sink.record(total, found, overflow - overflowReported);
            overflowReported = overflow;
        }
        checked += total;
        return total;
    }

    private void check(Target t, List<VerifyQueue.Due> due, List<Finding> found) {
        Map<List<Object>, VerifyQueue.Due> byValues = new LinkedHashMap<>();
        due.forEach(d -> byValues.put(d.key().values(), d));
        TableComparison result = TableComparator.recheck(t.mapping(), t.v1(), t.v2(), byValues.keySet(), options);
        long now = System.nanoTime();
        for (Difference d : result.differences()) {
            VerifyQueue.Due entry = byValues.get(LiveCheck.values(d.key(), t.v2().key()));
            if (entry == null || queue.waiting(entry.key())) {
                continue; // applied again meanwhile: its newer entry decides
            }
            if (entry.attempt() == 0) {
                queue.mismatched(entry.key(), now); // maybe a change in flight: look once more
            } else {
                Finding f = new Finding(t.mapping().name(), d.key().toString(), detail(d), Instant.now());
                found.add(f);
                findings++;
                newest = f;
            }
        }
    }

    /** What differs, without values (they may be sensitive; {@code drift} shows them, masked as configured). */
    static String detail(Difference d) {
        return switch (d.kind()) {
            case MISSING_ON_V2 -> "missing on v2: " + d.key();
            case EXTRA_ON_V2 -> "extra on v2: " + d.key();
            case MISMATCHED -> "mismatch at " + d.key() + " in column(s) " + String.join(", ", d.columns());
        };
    }

    /** Keys checked since the start. */
    public long checked() {
        return checked;
    }

    /** Persistent differences found since the start. */
    public long findings() {
        return findings;
    }

    /** The newest finding, or {@code null}. */
    public Finding newest() {
        return newest;
    }

    /** Keys not queued because the queue was full. */
    public long overflowed() {
        return queue.overflowed();
    }

    /** Keys waiting. */
    public int waiting() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }
}
