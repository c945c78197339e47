package io.graybridge.mapping;

import java.util.Locale;

/** One of the two schema versions a gray release runs on. */
public enum Side {
    V1,
    V2;

    /** The side on the other end of a lane. */
    public Side other() {
        return this == V1 ? V2 : V1;
    }

    /** The lower-case name operators write in config and see in reports: {@code v1} or {@code v2}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code v1} or {@code v2} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Side parse(String text) {
        for (Side side : values()) {
            if (side.id().equalsIgnoreCase(text)) {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown side '" + text + "': expected v1 or v2");
    }

    @Override
    public String toString() {
        return id();
    }
}
