package io.graybridge.bridge.capture;

import static io.graybridge.bridge.capture.HandOvers.record;
import static io.graybridge.bridge.capture.HandOvers.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The apply thread: batches applied in order, records acknowledged only after their batch was applied, a queue bounded
 * in row changes, and what knowledge-only needs of it (giving up on a full queue, closing the queue, a signal once
 * everything queued is applied).
 */
class ApplyThreadTest {
    /** What happened, in order, on any thread: "apply N", "ack N", "finish". */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private final DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer =
            HandOvers.committer(events, true);

    /** The bound of the tests written for the queue of 4 batches: batches without changes count 1 row each. */
    private static final int FOUR = 4;

    private static CapturedBatch batch(int n) {
        return new CapturedBatch(List.of(), List.of(new OffsetEntry(new byte[] {(byte) n}, new byte[] {(byte) n})), 0);
    }

    @Test
    void shouldAcknowledgeRecordsOnlyAfterTheirBatchWasAppliedAndInCaptureOrder() throws Exception {
        CountDownLatch applied = new CountDownLatch(3);
        ApplyThread apply = new ApplyThread("t", b -> {
            events.add("apply " + (b.endsAtCommit() ? String.valueOf(b.offsets().get(0).key()[0]) : "counters"));
            applied.countDown();
        }, FOUR, () -> events.add("failed"));
        apply.start();
        apply.handOver(batch(1), List.of(record(1), record(2)), committer);
        apply.handOver(batch(3), List.of(record(3)), committer);
        apply.handOver(new CapturedBatch(List.of(), List.of(), 5), List.of(), committer); // counters only: no ack
        assertThat(applied.await(10, TimeUnit.SECONDS)).isTrue();
        apply.stop();
        assertThat(events).containsExactly("apply 1", "ack 1", "ack 2", "finish", "apply 3", "ack 3", "finish",
                "apply counters");
    }

    @Test
    void shouldCountABatchAsAppliedOnlyOnceTheSinkReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        ApplyThread apply = new ApplyThread("t", b -> {
            entered.countDown();
            release.await();
        }, FOUR, () -> {});
        apply.start();
        assertThat(apply.appliedThrough(0)).as("nothing handed over").isTrue();
        long first = apply.handOver(batch(1), List.of(record(1)), committer);
        long second = apply.handOver(batch(2), List.of(record(2)), committer);
        assertThat(second).isEqualTo(first + 1);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.appliedThrough(first)).as("the first batch is still being applied").isFalse();
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!apply.appliedThrough(second) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(apply.appliedThrough(second)).as("both batches applied").isTrue();
        apply.stop();
        assertThat(events).containsExactly("ack 1", "finish", "ack 2", "finish");
    }

    @Test
    void shouldLetCaptureReadAheadByTheBoundAndThenWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        ApplyThread apply = new ApplyThread("t", b -> {
            first.countDown();
            release.await();
        }, FOUR, () -> {});
        apply.start();
        apply.handOver(batch(0), List.of(record(0)), committer);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue(); // being applied, out of the queue
        for (int i = 1; i <= FOUR; i++) {
            apply.handOver(batch(i), List.of(record(i)), committer);
        }
        Thread capture = new Thread(() -> {
            try {
                apply.handOver(batch(9), List.of(record(9)), committer);
                events.add("handed over 9");
            } catch (InterruptedException e) {
                events.add("interrupted");
            }
        });
        capture.start();
        capture.join(500);
        assertThat(capture.isAlive()).as("capture waits while the bound's batches wait").isTrue();
        assertThat(events).as("nothing acknowledged while the first batch is being applied").isEmpty();
        release.countDown();
        capture.join(10_000);
        assertThat(events).contains("handed over 9", "ack 0");
        apply.stop();
    }

    @Test
    void shouldStopOnAFailedBatchWithoutAcknowledgingItAndTellCapture() throws Exception {
        AtomicReference<String> failedOn = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        IllegalStateException boom = new IllegalStateException("the target refused the batch");
        ApplyThread apply = new ApplyThread("t", b -> {
            throw boom;
        }, FOUR, () -> {
            failedOn.set(Thread.currentThread().getName());
            failed.countDown();
        });
        apply.start();
        apply.handOver(batch(1), List.of(record(1)), committer);
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failedOn.get()).isEqualTo("graybridge-apply-t");
        assertThat(apply.failure()).isSameAs(boom);
        assertThat(events).as("a failed batch is never acknowledged").isEmpty();
        // capture finds out at its next handover once the queue is full
        assertThatThrownBy(() -> {
            for (int i = 0; i <= FOUR; i++) {
                apply.handOver(batch(i), List.of(record(i)), committer);
            }
        }).isInstanceOf(ApplyThread.ApplyStoppedException.class).hasCause(boom);
        apply.stop();
    }

    @Test
    void shouldDropQueuedBatchesUnacknowledgedWhenStopped() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        ApplyThread apply = new ApplyThread("t", b -> {
            first.countDown();
            Thread.sleep(60_000); // waiting, as at the barrier: interrupted by the stop
        }, FOUR, () -> events.add("failed"));
        apply.start();
        apply.handOver(batch(1), List.of(record(1)), committer);
        apply.handOver(batch(2), List.of(record(2)), committer);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        apply.stop();
        assertThat(apply.failure()).as("the interrupted batch").isInstanceOf(InterruptedException.class);
        assertThat(events).as("no ack, and a stop is not a failure to report").isEmpty();
    }

    /** A batch of {@code rows} row changes ending at a commit, named {@code n} by its offset key. */
    /** An apply thread whose sink waits for {@code release} on every batch; {@code entered} counts batches begun. */
    private ApplyThread held(int maxRows, CountDownLatch release, java.util.concurrent.Semaphore entered) {
        ApplyThread apply = new ApplyThread("t", b -> {
            entered.release();
            release.await();
            events.add("apply " + b.offsets().get(0).key()[0]);
        }, maxRows, () -> events.add("failed"));
        apply.start();
        return apply;
    }

    /** Hands over on a thread of its own; the returned thread ends once the batch is queued. */
    private Thread handOverAsync(ApplyThread apply, CapturedBatch batch, int n) {
        Thread t = new Thread(() -> {
            try {
                apply.handOver(batch, List.of(record(n)), committer);
                events.add("handed over " + n);
            } catch (InterruptedException e) {
                events.add("interrupted");
            }
        });
        t.start();
        return t;
    }

    @Test
    void shouldBoundTheQueueInRowChangesNotInBatches() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = held(10, release, entered);
        apply.handOver(rows(0, 3), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue(); // being applied: out of the queue
        apply.handOver(rows(1, 6), List.of(record(1)), committer);
        apply.handOver(rows(2, 4), List.of(record(2)), committer); // 6 + 4 = 10: still within the bound
        assertThat(apply.queuedRows()).isEqualTo(10);
        Thread capture = handOverAsync(apply, rows(3, 1), 3);
        capture.join(500);
        assertThat(capture.isAlive()).as("one row more than read-ahead 10 waits").isTrue();
        release.countDown();
        capture.join(10_000);
        assertThat(capture.isAlive()).isFalse();
        apply.stop();
        assertThat(events).contains("handed over 3", "apply 0", "ack 0");
    }

    @Test
    void shouldTakeABatchLargerThanTheBoundWhenTheQueueIsEmpty() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = held(10, release, entered);
        apply.handOver(rows(0, 1), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        // the apply thread is busy and the queue empty: a batch of 25 row changes goes in at once, nothing stalls
        long seq = apply.handOver(rows(1, 25), List.of(record(1)), committer);
        assertThat(seq).isEqualTo(2);
        assertThat(apply.queuedRows()).isEqualTo(25);
        Thread capture = handOverAsync(apply, rows(2, 1), 2);
        capture.join(500);
        assertThat(capture.isAlive()).as("nothing more while the oversized batch waits").isTrue();
        release.countDown();
        capture.join(10_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!apply.appliedThrough(3) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        apply.stop();
        assertThat(events).containsSubsequence("apply 0", "apply 1", "apply 2");
    }

    @Test
    void shouldGiveUpOnAFullQueueOnlyWhenAskedToAndQueueNothingThen() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = held(5, release, entered);
        apply.handOver(rows(0, 1), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        apply.handOver(rows(1, 5), List.of(record(1)), committer);
        // a batch that fits is queued whatever giveUp says: knowledge-only begins only on a full queue
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean demand = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong result = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        Thread capture = new Thread(() -> {
            try {
                result.set(apply.offer(rows(2, 1), List.of(record(2)), committer, () -> {
                    asked.incrementAndGet();
                    return demand.get();
                }));
            } catch (InterruptedException e) {
                events.add("interrupted");
            }
        });
        capture.start();
        capture.join(500);
        assertThat(capture.isAlive()).as("no demand: capture waits on the full queue").isTrue();
        assertThat(asked.get()).as("asked while it waits").isGreaterThan(1);
        demand.set(true);
        capture.join(10_000);
        assertThat(result.get()).as("gave up: nothing queued").isEqualTo(-1);
        assertThat(apply.queuedRows()).isEqualTo(5);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!apply.appliedThrough(2) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        apply.stop();
        assertThat(events).containsExactly("apply 0", "ack 0", "finish", "apply 1", "ack 1", "finish");
    }

    @Test
    void shouldSignalOnceWhenEverythingQueuedBeforeTheQueueClosedIsAppliedAndAcknowledged() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = held(10, release, entered);
        apply.handOver(rows(0, 1), List.of(record(0)), committer);
        apply.handOver(rows(1, 1), List.of(record(1)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch drained = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger signals = new java.util.concurrent.atomic.AtomicInteger();
        apply.closeQueue(() -> {
            events.add("drained");
            signals.incrementAndGet();
            drained.countDown();
        });
        assertThat(drained.await(300, TimeUnit.MILLISECONDS)).as("two batches still to apply").isFalse();
        assertThatThrownBy(() -> apply.handOver(rows(2, 1), List.of(record(2)), committer))
                .as("nothing may be queued after knowledge-only began").isInstanceOf(IllegalStateException.class);
        release.countDown();
        assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("apply 0", "ack 0", "finish", "apply 1", "ack 1", "finish", "drained");
        apply.closeQueue(() -> signals.incrementAndGet()); // closed already: no second signal
        apply.stop();
        assertThat(signals.get()).isEqualTo(1);

        // a queue already applied when it closes signals at once, on the caller's thread
        ApplyThread idle = new ApplyThread("t", b -> {}, 10, () -> {});
        idle.start();
        java.util.concurrent.atomic.AtomicReference<Thread> on = new java.util.concurrent.atomic.AtomicReference<>();
        idle.closeQueue(() -> on.set(Thread.currentThread()));
        assertThat(on.get()).isSameAs(Thread.currentThread());
        idle.stop();
    }

    @Test
    void shouldApplyButNotAcknowledgeBatchesHandedOverBeforeTheTaskStartedAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = held(10, release, entered);
        apply.taskStarted();
        apply.handOver(rows(0, 1), List.of(record(0)), committer);
        apply.handOver(rows(1, 1), List.of(record(1)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        apply.taskStarted(); // Debezium sends again what follows the last acknowledged record
        apply.handOver(rows(2, 1), List.of(record(2)), committer);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!apply.appliedThrough(3) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        apply.stop();
        assertThat(events).containsExactly("apply 0", "apply 1", "apply 2", "ack 2", "finish");
    }

    /** A batch of {@code rows} row changes ending at position {@code n} of partition 1 (merged batches keep the last). */
    private static CapturedBatch at(int n, int rows) {
        CapturedBatch b = rows(n, rows);
        return new CapturedBatch(b.changes(), List.of(new OffsetEntry(new byte[] {1}, new byte[] {(byte) n})), 0);
    }

    /** A chunk of an unfinished source transaction: row changes, no position. */
    private static CapturedBatch chunk(int rows) {
        return new CapturedBatch(rows(0, rows).changes(), List.of(), 0);
    }

    /** An apply thread merging up to {@code mergeRows}, whose sink holds the first batch until {@code release}. */
    private ApplyThread merging(int mergeRows, CountDownLatch release, java.util.concurrent.Semaphore entered) {
        ApplyThread apply = new ApplyThread("t", b -> {
            entered.release();
            release.await();
            events.add("apply " + b.changes().size() + " rows" + (b.endsAtCommit()
                    ? " to " + b.offsets().get(b.offsets().size() - 1).value()[0] + " (" + b.offsets().size()
                            + " partition(s))"
                    : " (chunk)") + (b.echoesSuppressed() > 0 ? ", " + b.echoesSuppressed() + " echoes" : ""));
        }, 100, mergeRows, () -> events.add("failed"));
        apply.start();
        return apply;
    }

    private static void awaitApplied(ApplyThread apply, long seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!apply.appliedThrough(seq) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(apply.appliedThrough(seq)).as("batch " + seq + " applied").isTrue();
    }

    @Test
    void shouldApplyQueuedBatchesTogetherUpToMergeRowsAndAcknowledgeEachAfterTheMergedOneCommitted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = merging(8, release, entered);
        apply.handOver(at(0, 2), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue(); // being applied: the others queue behind it
        apply.handOver(at(1, 3), List.of(record(1)), committer);
        apply.handOver(new CapturedBatch(List.of(), List.of(), 4), List.of(), committer); // counters only
        apply.handOver(at(2, 5), List.of(record(2), record(3)), committer); // 3 + 0 + 5 = 8: merged
        long last = apply.handOver(at(4, 1), List.of(record(4)), committer); // 9 > 8: the next transaction
        release.countDown();
        awaitApplied(apply, last);
        apply.stop();
        assertThat(events).containsExactly(
                "apply 2 rows to 0 (1 partition(s))", "ack 0", "finish",
                "apply 8 rows to 2 (1 partition(s)), 4 echoes", "ack 1", "finish", "ack 2", "ack 3", "finish",
                "apply 1 rows to 4 (1 partition(s))", "ack 4", "finish");
    }

    @Test
    void shouldNeverMergeAChunkOfAnUnfinishedTransaction() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = merging(100, release, entered);
        apply.handOver(at(0, 1), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        apply.handOver(at(1, 1), List.of(record(1)), committer);
        apply.handOver(chunk(2), List.of(), committer);
        apply.handOver(chunk(2), List.of(), committer);
        long last = apply.handOver(at(2, 1), List.of(record(2)), committer);
        release.countDown();
        awaitApplied(apply, last);
        apply.stop();
        assertThat(events).containsExactly("apply 1 rows to 0 (1 partition(s))", "ack 0", "finish",
                "apply 1 rows to 1 (1 partition(s))", "ack 1", "finish", "apply 2 rows (chunk)",
                "apply 2 rows (chunk)", "apply 1 rows to 2 (1 partition(s))", "ack 2", "finish");
    }

    @Test
    void shouldNotMergeBatchesOfDifferentTaskStartsNorAcknowledgeTheEarlierOnes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
        ApplyThread apply = merging(100, release, entered);
        apply.handOver(at(0, 1), List.of(record(0)), committer);
        assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        apply.handOver(at(1, 1), List.of(record(1)), committer);
        apply.taskStarted();
        apply.handOver(at(1, 1), List.of(record(1)), committer); // sent again by the restarted task
        long last = apply.handOver(at(2, 1), List.of(record(2)), committer);
        release.countDown();
        awaitApplied(apply, last);
        apply.stop();
        assertThat(events).containsExactly("apply 1 rows to 0 (1 partition(s))",
                "apply 1 rows to 1 (1 partition(s))",
                "apply 2 rows to 2 (1 partition(s))", "ack 1", "finish", "ack 2", "finish");
    }
}
