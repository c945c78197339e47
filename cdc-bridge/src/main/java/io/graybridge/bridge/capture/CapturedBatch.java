package io.graybridge.bridge.capture;

import java.util.List;

/**
 * What capture hands to a lane at once: the decoded row changes in source order, and the source
 * positions that are reached once they are applied.
 *
 * @param changes row changes of the mapped tables, in source order
 * @param offsets the newest position of each source partition covered by this batch
 * @param records how many Debezium records the batch held (including ones that carry no row change)
 */
public record CapturedBatch(List<SourceChange> changes, List<OffsetEntry> offsets, int records) {
    public CapturedBatch {
        changes = List.copyOf(changes);
        offsets = List.copyOf(offsets);
    }
}
