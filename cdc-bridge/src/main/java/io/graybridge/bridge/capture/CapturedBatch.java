package io.graybridge.bridge.capture;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What capture hands to a lane at once: decoded row changes in source order and, when the batch ends
 * at a source transaction boundary, the source position reached once they are applied.
 *
 * <p>A batch with offsets holds only whole source transactions (or snapshot rows), so applying it and
 * storing its offsets in one target transaction keeps source transactions atomic on the target and
 * never stores a position inside a transaction. A batch without offsets is a chunk of one oversized
 * source transaction: it may be applied, but its position is stored only with the chunk that ends the
 * transaction, so a crash in between replays the whole transaction (idempotent upserts converge).
 *
 * @param changes row changes of the mapped tables, in source order
 * @param offsets the position of each source partition after this batch; empty for a chunk of an
 *     unfinished source transaction
 * @param echoesSuppressed row changes dropped because the bridge itself wrote them (loop guard)
 * @param knowledge under latest-wins with both lanes on, the capture's knowledge of every key that changed since the
 *     previous stored offset, as of this batch's offsets (stored with them in {@code key_write}); empty otherwise and
 *     for a batch without offsets
 */
public record CapturedBatch(List<SourceChange> changes, List<OffsetEntry> offsets, long echoesSuppressed,
        List<CaptureKnowledge.Known> knowledge) {
    public CapturedBatch {
        changes = List.copyOf(changes);
        offsets = List.copyOf(offsets);
        knowledge = List.copyOf(knowledge);
    }

    /** A batch carrying no knowledge. */
    public CapturedBatch(List<SourceChange> changes, List<OffsetEntry> offsets, long echoesSuppressed) {
        this(changes, offsets, echoesSuppressed, List.of());
    }

    /** Whether this batch ends at a source transaction boundary and carries the position to store. */
    public boolean endsAtCommit() {
        return !offsets.isEmpty();
    }

    /**
     * Whether this batch may be applied in one target transaction with the batches captured next to it ({@link
     * #merged}): it ends at a source transaction boundary, or it carries counters only. A chunk of an unfinished source
     * transaction may not: its changes are applied without storing a position, and counted only with the last chunk.
     */
    public boolean mergeable() {
        return endsAtCommit() || changes.isEmpty();
    }

    /**
     * The batches of {@code batches}, captured one after the other and each {@link #mergeable}, as one: their changes in
     * order, each source partition's last position, the echoes summed, and each key's last knowledge (knowledge is drained
     * per hand-over, so a key in two of them is newer in the later one, which the merged offsets cover).
     */
    public static CapturedBatch merged(List<CapturedBatch> batches) {
        if (batches.size() == 1) {
            return batches.get(0);
        }
        List<SourceChange> changes = new ArrayList<>();
        Map<ByteBuffer, OffsetEntry> offsets = new LinkedHashMap<>();
        Map<ByteBuffer, CaptureKnowledge.Known> knowledge = new LinkedHashMap<>();
        long echoes = 0;
        for (CapturedBatch b : batches) {
            if (!b.mergeable()) {
                throw new IllegalArgumentException("a chunk of an unfinished source transaction is applied on its own");
            }
            changes.addAll(b.changes);
            for (OffsetEntry o : b.offsets) {
                ByteBuffer partition = ByteBuffer.wrap(o.key());
                offsets.remove(partition); // the later position of a partition, in the order the partitions came last
                offsets.put(partition, o);
            }
            for (CaptureKnowledge.Known k : b.knowledge) {
                knowledge.remove(k.hash());
                knowledge.put(k.hash(), k);
            }
            echoes += b.echoesSuppressed;
        }
        return new CapturedBatch(changes, new ArrayList<>(offsets.values()), echoes,
                new ArrayList<>(knowledge.values()));
    }
}
