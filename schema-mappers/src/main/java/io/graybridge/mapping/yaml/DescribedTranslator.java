package io.graybridge.mapping.yaml;

import io.graybridge.mapping.RowTranslator;

/** A {@link RowTranslator} that can say which columns it reads and writes, for validation against live schemas. */
public interface DescribedTranslator extends RowTranslator {
    ColumnPlan plan();
}
