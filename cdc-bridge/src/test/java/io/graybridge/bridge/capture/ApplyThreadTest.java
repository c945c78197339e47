package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The apply thread: batches applied in order, records acknowledged only after their batch was applied. */
class ApplyThreadTest {
    /** What happened, in order, on any thread: "apply N", "ack N", "finish". */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private final DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer =
            new DebeziumEngine.RecordCommitter<>() {
                @Override
                public void markProcessed(RecordChangeEvent<SourceRecord> record) {
                    events.add("ack " + record.record().sourceOffset().get("n"));
                }

                @Override
                public void markBatchFinished() {
                    events.add("finish");
                }

                @Override
                public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public DebeziumEngine.Offsets buildOffsets() {
                    throw new UnsupportedOperationException();
                }
            };

    private static RecordChangeEvent<SourceRecord> record(int n) {
        SourceRecord r = new SourceRecord(Map.of("p", 1), Map.of("n", n), "t", null, null);
        return () -> r;
    }

    private static CapturedBatch batch(int n) {
        return new CapturedBatch(List.of(), List.of(new OffsetEntry(new byte[] {(byte) n}, new byte[] {(byte) n})), 0);
    }

    @Test
    void shouldAcknowledgeRecordsOnlyAfterTheirBatchWasAppliedAndInCaptureOrder() throws Exception {
        CountDownLatch applied = new CountDownLatch(3);
        ApplyThread apply = new ApplyThread("t", b -> {
            events.add("apply " + (b.endsAtCommit() ? String.valueOf(b.offsets().get(0).key()[0]) : "counters"));
            applied.countDown();
        }, () -> events.add("failed"));
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
        }, () -> {});
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
        }, () -> {});
        apply.start();
        apply.handOver(batch(0), List.of(record(0)), committer);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue(); // being applied, out of the queue
        for (int i = 1; i <= ApplyThread.READ_AHEAD_BATCHES; i++) {
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
        }, () -> {
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
            for (int i = 0; i <= ApplyThread.READ_AHEAD_BATCHES; i++) {
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
        }, () -> events.add("failed"));
        apply.start();
        apply.handOver(batch(1), List.of(record(1)), committer);
        apply.handOver(batch(2), List.of(record(2)), committer);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        apply.stop();
        assertThat(apply.failure()).as("the interrupted batch").isInstanceOf(InterruptedException.class);
        assertThat(events).as("no ack, and a stop is not a failure to report").isEmpty();
    }
}
