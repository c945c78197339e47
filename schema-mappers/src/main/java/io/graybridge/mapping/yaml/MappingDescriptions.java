package io.graybridge.mapping.yaml;

import io.graybridge.mapping.TableMapping;
import java.util.Optional;

/**
 * What a {@link TableMapping} expects of the two schemas. Every mapping built by {@link MappingFiles}
 * (including {@link MappingFiles#identity}) has a plan; a hand-written translator has one if it
 * implements {@link DescribedTranslator}.
 */
public final class MappingDescriptions {
    private MappingDescriptions() {}

    /** The column plan of {@code mapping}, taken from its forward translator. */
    public static Optional<ColumnPlan> plan(TableMapping mapping) {
        return mapping.forward() instanceof DescribedTranslator d ? Optional.of(d.plan()) : Optional.empty();
    }
}
