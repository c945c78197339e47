package io.graybridge.mapping.spi;

import io.graybridge.mapping.Row;

/**
 * Example SPI implementation, registered for tests only: v1 {@code name} "First Last" is v2
 * {@code display} "Last, First". Shows the contract: no state, no mutation, absent stays absent.
 */
public final class ReversedNameTranslator implements TableTranslator {
    @Override
    public String name() {
        return "reversed-name";
    }

    @Override
    public Row forward(Row v1Row) {
        Row out = v1Row.without("name");
        if (!v1Row.has("name")) {
            return out;
        }
        String name = (String) v1Row.get("name");
        if (name == null) {
            return out.with("display", null);
        }
        int space = name.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("name " + name + " has no space");
        }
        return out.with("display", name.substring(space + 1) + ", " + name.substring(0, space));
    }

    @Override
    public Row backward(Row v2Row) {
        Row out = v2Row.without("display");
        if (!v2Row.has("display")) {
            return out;
        }
        String display = (String) v2Row.get("display");
        if (display == null) {
            return out.with("name", null);
        }
        int comma = display.indexOf(", ");
        if (comma < 0) {
            throw new IllegalArgumentException("display " + display + " has no ', '");
        }
        return out.with("name", display.substring(comma + 2) + " " + display.substring(0, comma));
    }
}
