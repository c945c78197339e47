package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.capture.CaptureKnowledge;
import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What two-way latest-wins decides with per key ({@link ConvergenceBarrier#merged}): the reverse capture's memory, read
 * with its captured position, where it knows the last write or the version, the reverse lane's {@code key_write} row
 * for what memory lacks (a key memory knows only from a mark has a version but no write).
 */
class BarrierKnowledgeTest {
    private static final ByteBuffer A = key(1);
    private static final ByteBuffer B = key(2);
    private static final ByteBuffer C = key(3);
    private static final ByteBuffer D = key(4);
    private static final Instant T = Instant.parse("2026-11-28T03:00:00Z");

    @Test
    void shouldPreferMemoryAndFillWhatItLacksFromKeyWrite() {
        CaptureKnowledge.Write storedWrite = new CaptureKnowledge.Write(100, false, T);
        CaptureKnowledge.Version storedVersion = new CaptureKnowledge.Version(T, Side.V2);
        CaptureKnowledge.Write memoryWrite = new CaptureKnowledge.Write(200, true, T.plusMillis(5));
        CaptureKnowledge.Version memoryVersion = new CaptureKnowledge.Version(T.plusMillis(5), Side.V2);
        CaptureKnowledge.Version markedVersion = new CaptureKnowledge.Version(T.plusMillis(9), Side.V1);
        Map<ByteBuffer, CaptureKnowledge.Known> memory = Map.of(
                A, new CaptureKnowledge.Known(A, "t", "1", memoryWrite, memoryVersion),
                B, new CaptureKnowledge.Known(B, null, null, null, markedVersion));
        Map<ByteBuffer, CaptureKnowledge.Known> stored = Map.of(
                A, new CaptureKnowledge.Known(A, "t", "1", storedWrite, storedVersion),
                B, new CaptureKnowledge.Known(B, "t", "2", storedWrite, storedVersion),
                C, new CaptureKnowledge.Known(C, "t", "3", storedWrite, storedVersion));

        Map<ByteBuffer, CaptureKnowledge.Known> known = ConvergenceBarrier.merged(List.of(A, B, C, D), memory, stored);

        assertThat(known.get(A).lastWrite()).as("memory is newer than key_write").isEqualTo(memoryWrite);
        assertThat(known.get(A).version()).isEqualTo(memoryVersion);
        assertThat(known.get(B).version()).as("the version a mark named, read since the stored offset")
                .isEqualTo(markedVersion);
        assertThat(known.get(B).lastWrite()).as("the stored write: no application write read since")
                .isEqualTo(storedWrite);
        assertThat(known.get(B).table()).isEqualTo("t");
        assertThat(known.get(C).lastWrite()).as("not in memory: key_write").isEqualTo(storedWrite);
        assertThat(known.get(C).version()).isEqualTo(storedVersion);
        assertThat(known).as("a key known nowhere: no write, no version").doesNotContainKey(D);
    }

    private static ByteBuffer key(int id) {
        return ByteBuffer.wrap(KeyText.hash("t", Integer.toString(id)));
    }
}
