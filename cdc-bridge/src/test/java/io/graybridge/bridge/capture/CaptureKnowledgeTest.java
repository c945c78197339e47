package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.CaptureKnowledge.Known;
import io.graybridge.bridge.capture.CaptureKnowledge.Version;
import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The latest-wins stamp rules (ARCHITECTURE.md, "latest-wins stamps") and what a lane's capture keeps of its source
 * ({@link CaptureKnowledge}).
 */
class CaptureKnowledgeTest {
    private static final Instant T = Instant.parse("2026-11-27T23:00:00.123456Z");

    @Test
    void shouldStampAFirstWriteWithItsCommitTimeInMilliseconds() {
        assertThat(CaptureKnowledge.stamp(Side.V2, T, null)).isEqualTo(Instant.parse("2026-11-27T23:00:00.123Z"));
    }

    @Test
    void shouldRaiseAV1WriteOverAV2VersionToAtLeastTheSameMillisecond() {
        Instant ms = T.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(CaptureKnowledge.stamp(Side.V1, T, new Version(ms, Side.V2))).isEqualTo(ms);
        assertThat(CaptureKnowledge.stamp(Side.V1, T.minusMillis(5), new Version(ms, Side.V2)))
                .as("clock skew: committed 5 ms before the version it overwrote").isEqualTo(ms);
    }

    @Test
    void shouldRaiseEveryOtherWriteToAtLeastTheNextMillisecond() {
        Instant ms = T.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        assertThat(CaptureKnowledge.stamp(Side.V2, T, new Version(ms, Side.V1))).as("v2 over v1").isEqualTo(ms.plusMillis(1));
        assertThat(CaptureKnowledge.stamp(Side.V2, T, new Version(ms, Side.V2))).as("v2 over v2").isEqualTo(ms.plusMillis(1));
        assertThat(CaptureKnowledge.stamp(Side.V1, T, new Version(ms, Side.V1))).as("v1 over v1").isEqualTo(ms.plusMillis(1));
        assertThat(CaptureKnowledge.stamp(Side.V2, T.minusSeconds(2), new Version(ms, Side.V1)))
                .as("clock skew: 2 s behind the version's clock").isEqualTo(ms.plusMillis(1));
        assertThat(CaptureKnowledge.stamp(Side.V2, T.plusMillis(7), new Version(ms, Side.V1)))
                .as("a later commit keeps its time").isEqualTo(ms.plusMillis(7));
    }

    @Test
    void shouldOrderWholeSecondMariaDbTimesAfterTheVersionsTheyOverwrite() {
        // MariaDB's ts_ms is the binlog event header's whole second: every write here arrives as the same time
        Instant second = Instant.parse("2026-11-27T23:00:01Z");
        CaptureKnowledge v2 = new CaptureKnowledge(Side.V2);
        ByteBuffer k = key(1);
        Instant first = v2.write(k, "t", "1", 100, false, second);
        Instant second2 = v2.write(k, "t", "1", 200, false, second);
        v2.version(k, second2.plusMillis(0), Side.V1); // a v1 write delivered here, stamped at v2's version (tie to v1)
        Instant third = v2.write(k, "t", "1", 300, false, second);
        assertThat(List.of(first, second2, third)).containsExactly(second, second.plusMillis(1), second.plusMillis(2));
        CaptureKnowledge v1 = new CaptureKnowledge(Side.V1);
        v1.version(k, third, Side.V2);
        assertThat(v1.write(k, "t", "1", 10, false, second)).as("v1 over v2 ties and wins on v1").isEqualTo(third);
    }

    @Test
    void shouldRaiseAReinsertAfterTheDeleteItFollows() {
        CaptureKnowledge v2 = new CaptureKnowledge(Side.V2);
        ByteBuffer k = key(7);
        Instant insert = v2.write(k, "t", "7", 100, false, T);
        Instant delete = v2.write(k, "t", "7", 200, true, T);
        Instant reinsert = v2.write(k, "t", "7", 300, false, T.minusMillis(3)); // skew within the server
        assertThat(delete).isAfter(insert);
        assertThat(reinsert).isAfter(delete);
        Known known = v2.read(List.of(k)).keys().get(k);
        assertThat(known.lastWrite()).isEqualTo(new CaptureKnowledge.Write(300, false, reinsert));
        assertThat(known.version()).isEqualTo(new Version(reinsert, Side.V2));
    }

    /**
     * Random histories of one key on one side: application writes (commit times in a few milliseconds, or one MariaDB
     * second, skewed against the other side's clock) and versions the bridge wrote, read in log order. Each write
     * must order after the version it overwrote in latest-wins' order (stamp, then v1 on a tie), so the order extends
     * causality; raw commit times do not.
     */
    @Test
    void shouldOrderEveryWriteAfterTheVersionItOverwroteWhereRawCommitTimesDoNot() {
        SplittableRandom random = new SplittableRandom(27);
        int rawViolations = 0;
        for (int run = 0; run < 2_000; run++) {
            Side side = random.nextBoolean() ? Side.V1 : Side.V2;
            boolean wholeSeconds = random.nextInt(3) == 0;
            CaptureKnowledge k = new CaptureKnowledge(side);
            ByteBuffer key = key(run);
            Version current = null;
            Instant base = Instant.parse("2026-11-27T23:00:00Z");
            for (int step = 0; step < 12; step++) {
                Instant time = base.plusMillis(random.nextInt(4) - 1); // -1 .. +2 ms: skew and ties
                if (wholeSeconds) {
                    time = time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                }
                if (random.nextInt(3) == 0) {
                    // the bridge delivered a write of the other side, which (in the other side's order) followed
                    // everything it had seen: a stamp at or after the current version as its capture raised it
                    Instant stamp = current == null ? time : CaptureKnowledge.stamp(side.other(), time, current);
                    k.version(key, stamp, side.other());
                    current = new Version(stamp, side.other());
                    continue;
                }
                Instant stamp = k.write(key, "t", "k", step, random.nextInt(4) == 0, time);
                if (current != null) {
                    assertThat(after(stamp, side, current)).as("run %d step %d: %s over %s", run, step, stamp, current)
                            .isTrue();
                    rawViolations += after(time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), side, current) ? 0 : 1;
                }
                current = new Version(stamp, side);
            }
        }
        assertThat(rawViolations).as("writes whose raw commit time orders before the version they overwrote")
                .isGreaterThan(100);
    }

    /** Whether (stamp, side) orders after {@code v} in latest-wins' order: later stamp; on a tie v1 wins. */
    private static boolean after(Instant stamp, Side side, Version v) {
        int c = stamp.compareTo(v.stamp());
        return c > 0 || c == 0 && side == Side.V1 && v.side() == Side.V2;
    }

    @Test
    void shouldTakeAVersionFromAMarkAsTheKeysCurrentOneAndKeepTheLastApplicationWrite() {
        CaptureKnowledge v1 = new CaptureKnowledge(Side.V1);
        ByteBuffer k = key(3);
        Instant w = v1.write(k, "t", "3", 50, false, T);
        v1.version(k, w.plusMillis(10), Side.V2);
        Known known = v1.read(List.of(k)).keys().get(k);
        assertThat(known.lastWrite().position()).isEqualTo(50);
        assertThat(known.version()).isEqualTo(new Version(w.plusMillis(10), Side.V2));
        assertThat(v1.write(k, "t", "3", 60, false, T)).as("v1 over the v2 version: the same millisecond")
                .isEqualTo(w.plusMillis(10));
    }

    @Test
    void shouldReadTheCapturedPositionAndTheKeysInOneAnswer() {
        CaptureKnowledge k = new CaptureKnowledge(Side.V1);
        k.write(key(1), "t", "1", 10, false, T);
        k.captured(10);
        k.captured(25); // an echo's commit
        k.captured(20); // never back
        CaptureKnowledge.View view = k.read(List.of(key(1), key(2)));
        assertThat(view.capturedPosition()).isEqualTo(25);
        assertThat(view.keys()).containsOnlyKeys(key(1));
    }

    @Test
    void shouldHandOverWhatChangedSinceTheLastStoredOffsetAndForgetItOnceApplied() {
        CaptureKnowledge k = new CaptureKnowledge(Side.V2);
        k.write(key(1), "t", "1", 10, false, T);
        k.version(key(2), T, Side.V1);
        k.write(key(1), "t", "1", 11, true, T);
        List<Known> first = k.drainChanged();
        assertThat(first).extracting(Known::hash).containsExactly(key(2), key(1));
        assertThat(first.get(1).lastWrite().tombstone()).isTrue();
        assertThat(first.get(0).table()).as("known only by its hash, from a mark").isNull();
        k.handedOver(1);
        k.write(key(2), "t", "2", 12, false, T); // changed again after its hand-over
        assertThat(k.drainChanged()).extracting(Known::hash).containsExactly(key(2));
        k.handedOver(2);
        k.forgetStored(seq -> seq <= 1);
        assertThat(k.inMemory(key(1))).as("stored with applied batch 1").isFalse();
        assertThat(k.inMemory(key(2))).as("its state goes with batch 2, not applied yet").isTrue();
        k.forgetStored(seq -> seq <= 2);
        assertThat(k.size()).isZero();
        assertThat(k.drainChanged()).isEmpty();
    }

    @Test
    void shouldStampFromStoredKnowledgeAfterAResetAsBefore() {
        // a write captured again after a restart gets the same stamp: the version before it is read back from key_write
        CaptureKnowledge k = new CaptureKnowledge(Side.V2);
        k.version(key(1), T.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(40), Side.V1);
        List<Known> stored = k.drainChanged();
        Instant before = k.write(key(1), "t", "1", 10, false, T);
        k.reset();
        assertThat(k.size()).isZero();
        assertThat(k.capturedPosition()).isEqualTo(SourcePositions.NONE);
        k.preload(Map.of(key(1), stored.get(0)));
        assertThat(k.write(key(1), "t", "1", 10, false, T)).isEqualTo(before).isEqualTo(T.truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS).plusMillis(41));
    }

    @Test
    void shouldNotLetStoredKnowledgeReplaceWhatMemoryKnows() {
        CaptureKnowledge k = new CaptureKnowledge(Side.V1);
        Instant w = k.write(key(1), "t", "1", 10, false, T);
        k.preload(Map.of(key(1), new Known(key(1), "t", "1", null, new Version(T.minusSeconds(9), Side.V2))));
        assertThat(k.read(List.of(key(1))).keys().get(key(1)).version()).isEqualTo(new Version(w, Side.V1));
    }

    private static ByteBuffer key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return ByteBuffer.wrap(b);
    }

    @Test
    void shouldLetTheReverseLanesBarrierWaitForTheCapturedPositionAndSayWhatItWaitsFor() throws Exception {
        CaptureKnowledge k = new CaptureKnowledge(Side.V2);
        ByteBuffer key = ByteBuffer.wrap(new byte[32]);
        k.captured(100);
        assertThat(k.awaitCaptured(100, List.of(key), 0)).as("reached: no wait").isNotNull();
        assertThat(k.demanded()).isEqualTo(SourcePositions.NONE);
        assertThat(k.awaitCaptured(150, List.of(key), 20)).as("not reached within 20 ms").isNull();
        assertThat(k.demanded()).as("a waiter that gave up demands nothing").isEqualTo(SourcePositions.NONE);

        java.util.concurrent.CompletableFuture<CaptureKnowledge.View> waiter = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return k.awaitCaptured(200, List.of(key), 30_000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (k.demanded() == SourcePositions.NONE && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(k.demanded()).as("while the barrier waits").isEqualTo(200);
        k.write(key, "t", "1", 180, false, T);
        k.captured(180);
        assertThat(waiter).as("180 does not pass 200").isNotDone();
        assertThat(k.demanded()).isEqualTo(200);
        k.captured(200);
        CaptureKnowledge.View v = waiter.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(v.capturedPosition()).isEqualTo(200);
        assertThat(v.keys().get(key).lastWrite().position()).isEqualTo(180);
        assertThat(k.demanded()).isEqualTo(SourcePositions.NONE);
    }
}
