package io.graybridge.bridge.apply;

import io.graybridge.bridge.capture.SourcePositions;
import java.util.List;

/**
 * What a lane's batch carries for the delete-convergence rules (ARCHITECTURE.md, "Conflicts", "Deletes"), written in
 * the batch's own target transaction.
 *
 * @param delivered the source position of the last complete source transaction the batch delivers (its marker carries
 *     it), or {@link SourcePositions#NONE}
 * @param keyWrites the source side's application writes the batch captured, one per source table and key (the last)
 */
public record BatchKnowledge(long delivered, List<KeyWrite> keyWrites) {
    /** Nothing to tell: the marker carries no position, nothing is recorded. */
    public static final BatchKnowledge NONE = new BatchKnowledge(SourcePositions.NONE, List.of());

    public BatchKnowledge {
        keyWrites = List.copyOf(keyWrites);
    }
}
