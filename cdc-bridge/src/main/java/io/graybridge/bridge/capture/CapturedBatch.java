package io.graybridge.bridge.capture;

import java.util.List;

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
}
