package io.graybridge.mapping.spi;

import io.graybridge.mapping.Row;

/**
 * The built-in translator {@code identity}: the row unchanged in both directions. Useful to mark a table
 * as deliberately unmapped, and as the smallest example of the SPI.
 */
public final class IdentityTranslator implements TableTranslator {
    @Override
    public String name() {
        return "identity";
    }

    @Override
    public Row forward(Row v1Row) {
        return v1Row;
    }

    @Override
    public Row backward(Row v2Row) {
        return v2Row;
    }
}
