package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.mapping.Side;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches merged into one target transaction: changes in order, each partition's last position, each key's last knowledge. */
class CapturedBatchTest {
    private static OffsetEntry offset(String partition, String position) {
        return new OffsetEntry(partition.getBytes(StandardCharsets.UTF_8), position.getBytes(StandardCharsets.UTF_8));
    }

    private static CaptureKnowledge.Known known(String key, long position) {
        return new CaptureKnowledge.Known(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), "t", key,
                new CaptureKnowledge.Write(position, false, Instant.ofEpochMilli(position)),
                new CaptureKnowledge.Version(Instant.ofEpochMilli(position), Side.V1));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepChangesInOrderTheLastPositionOfEachPartitionAndTheLastKnowledgeOfEachKey() {
        CapturedBatch first = new CapturedBatch(HandOvers.rows(0, 2).changes(),
                List.of(offset("slot", "10"), offset("seen", "3")), 1, List.of(known("a", 10), known("b", 10)));
        CapturedBatch counters = new CapturedBatch(List.of(), List.of(), 5);
        CapturedBatch second = new CapturedBatch(HandOvers.rows(0, 3).changes(),
                List.of(offset("slot", "20")), 2, List.of(known("a", 20), known("c", 20)));
        CapturedBatch merged = CapturedBatch.merged(List.of(first, counters, second));
        assertThat(merged.changes()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(first.changes().stream(), second.changes().stream()).toList());
        assertThat(merged.offsets()).extracting(o -> text(o.key()) + "=" + text(o.value()))
                .containsExactlyInAnyOrder("slot=20", "seen=3");
        assertThat(merged.echoesSuppressed()).isEqualTo(8);
        assertThat(merged.knowledge()).extracting(k -> k.key() + "@" + k.lastWrite().position())
                .containsExactly("b@10", "a@20", "c@20");
        assertThat(merged.endsAtCommit()).isTrue();
    }

    @Test
    void shouldRefuseToMergeAChunkOfAnUnfinishedTransaction() {
        CapturedBatch chunk = new CapturedBatch(HandOvers.rows(0, 2).changes(), List.of(), 0);
        assertThat(chunk.mergeable()).isFalse();
        assertThat(new CapturedBatch(List.of(), List.of(), 3).mergeable()).as("counters only").isTrue();
        assertThatThrownBy(() -> CapturedBatch.merged(List.of(HandOvers.rows(1, 1), chunk)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CapturedBatch.merged(List.of(chunk))).as("one batch is itself").isSameAs(chunk);
    }
}
