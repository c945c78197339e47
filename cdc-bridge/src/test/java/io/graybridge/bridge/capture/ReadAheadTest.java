package io.graybridge.bridge.capture;

import static io.graybridge.bridge.capture.HandOvers.record;
import static io.graybridge.bridge.capture.HandOvers.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.graybridge.mapping.Side;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The knowledge-only decision of one engine run ({@link ReadAhead}) against a real apply thread and real {@link
 * CaptureKnowledge} demands (the reverse lane's barrier waiting in {@link CaptureKnowledge#awaitCaptured}), no database.
 */
class ReadAheadTest {
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CaptureKnowledge knowledge = new CaptureKnowledge(Side.V1);
    private final AtomicLong knowledgeOnlyAt = new AtomicLong(Long.MIN_VALUE);
    private final CountDownLatch restarted = new CountDownLatch(1);
    private final AtomicReference<String> restartThread = new AtomicReference<>();
    private final List<ReadAhead> restarts = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> waiters = new ArrayList<>();
    private ApplyThread apply;

    private final DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer =
            HandOvers.committer(events, false);

    @AfterEach
    void stop() {
        release.countDown();
        waiters.forEach(Thread::interrupt);
        if (apply != null) {
            apply.stop();
        }
    }

    /** A run over an apply thread (bound 5 row changes) whose sink waits for {@link #release}. */
    private ReadAhead run(CaptureKnowledge k) {
        apply = new ApplyThread("t", b -> {
            entered.countDown();
            release.await();
            events.add("apply " + b.offsets().get(0).key()[0]);
        }, 5, () -> events.add("failed"));
        apply.start();
        return new ReadAhead("t", apply, k, knowledgeOnlyAt::set, r -> {
            restartThread.set(Thread.currentThread().getName());
            restarts.add(r);
            restarted.countDown();
        });
    }

    /** Fills the queue: batch 0 being applied (held), batch 1 (5 row changes) queued. */
    private void fill(ReadAhead run) throws Exception {
        assertThat(run.handOver(rows(0, 1), List.of(record(0)), committer)).isEqualTo(1);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(run.handOver(rows(1, 5), List.of(record(1)), committer)).isEqualTo(2);
    }

    /** The reverse lane's barrier waiting for captured position {@code position}, on a thread of its own. */
    private void demand(long position) throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                knowledge.awaitCaptured(position, List.of(), 60_000);
            } catch (InterruptedException e) {
                // the test ended
            }
        });
        t.setDaemon(true);
        t.start();
        waiters.add(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (knowledge.demanded() == SourcePositions.NONE && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(knowledge.demanded()).isEqualTo(position);
    }

    private CompletableFuture<Long> handOverAsync(ReadAhead run, CapturedBatch batch, int n) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run.handOver(batch, List.of(record(n)), committer);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void shouldWaitOnAFullQueueWhileNobodyDemandsThenGoKnowledgeOnlyWhenTheReverseBarrierWaits() throws Exception {
        ReadAhead run = run(knowledge);
        fill(run);
        CompletableFuture<Long> third = handOverAsync(run, rows(2, 1), 2);
        Thread.sleep(400);
        assertThat(third).as("a full queue and no demand: capture waits, as before").isNotDone();
        assertThat(run.knowledgeOnly()).isFalse();

        knowledge.captured(50);
        demand(100);
        assertThat(third.get(10, TimeUnit.SECONDS)).as("dropped: not queued").isEqualTo(-1);
        assertThat(run.knowledgeOnly()).isTrue();
        assertThat(knowledgeOnlyAt.get()).as("told with the demanded position").isEqualTo(100);
        assertThat(apply.queuedRows()).as("the queue as it was").isEqualTo(5);

        // nothing more is queued in this run, though the queue has room once released
        release.countDown();
        assertThat(restarted.await(10, TimeUnit.SECONDS)).as("restart once everything queued is applied").isTrue();
        assertThat(run.handOver(rows(3, 1), List.of(record(3)), committer)).isEqualTo(-1);
        assertThat(events).containsExactly("apply 0", "ack 0", "apply 1", "ack 1");
        assertThat(restartThread.get()).isEqualTo("graybridge-restart-t");
        assertThat(restarts).containsExactly(run);
    }

    @Test
    void shouldRestartOnlyAfterTheBatchesQueuedBeforeKnowledgeOnlyAreApplied() throws Exception {
        ReadAhead run = run(knowledge);
        fill(run);
        demand(100);
        assertThat(run.handOver(rows(2, 1), List.of(record(2)), committer)).isEqualTo(-1);
        assertThat(restarted.await(400, TimeUnit.MILLISECONDS)).as("batches 0 and 1 not applied yet").isFalse();
        release.countDown();
        assertThat(restarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.appliedThrough(2)).isTrue();
        Thread.sleep(200);
        assertThat(restarts).as("one restart per cycle").hasSize(1);
    }

    @Test
    void shouldReadOnKnowledgeOnlyOnlyWhileADemandIsBeyondTheCapturedPositionAndStopWhenTheRunEnds()
            throws Exception {
        ReadAhead run = run(knowledge);
        assertThat(run.readOn()).as("not knowledge-only: capture reads").isTrue();
        fill(run);
        demand(100);
        assertThat(run.handOver(rows(2, 1), List.of(record(2)), committer)).isEqualTo(-1);
        assertThat(run.readOn()).as("the barrier waits beyond the captured position").isTrue();

        knowledge.captured(100); // capture passed it: the barrier goes on, nobody waits for capture
        assertThat(knowledge.demanded()).isEqualTo(SourcePositions.NONE);
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> {
            try {
                return run.readOn();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(400);
        assertThat(next).as("no demand: capture does not read on").isNotDone();
        demand(200);
        assertThat(next.get(10, TimeUnit.SECONDS)).isTrue();

        knowledge.captured(200);
        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
            try {
                return run.readOn();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        run.endForRestart();
        assertThat(ended.get(10, TimeUnit.SECONDS)).as("the run ends: the handler returns").isFalse();
        assertThat(run.restarting()).isTrue();
    }

    @Test
    void shouldNeverDropWithoutKnowledge() throws Exception {
        ReadAhead run = run(null);
        fill(run);
        CompletableFuture<Long> third = handOverAsync(run, rows(2, 1), 2);
        Thread.sleep(400);
        assertThat(third).as("other policies: a full queue just waits").isNotDone();
        release.countDown();
        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(run.knowledgeOnly()).isFalse();
        assertThat(run.readOn()).isTrue();
    }
}
