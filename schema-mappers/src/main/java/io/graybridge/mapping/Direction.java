package io.graybridge.mapping;

/** The direction a row travels through a mapping: forward is v1 to v2, backward is v2 to v1. */
public enum Direction {
    FORWARD(Side.V1, Side.V2),
    BACKWARD(Side.V2, Side.V1);

    private final Side source;
    private final Side target;

    Direction(Side source, Side target) {
        this.source = source;
        this.target = target;
    }

    public Side source() {
        return source;
    }

    public Side target() {
        return target;
    }

    public Direction reverse() {
        return this == FORWARD ? BACKWARD : FORWARD;
    }

    /** The direction whose rows come from {@code source}. */
    public static Direction from(Side source) {
        return source == Side.V1 ? FORWARD : BACKWARD;
    }

    /** The lane name operators see: {@code v1-to-v2} or {@code v2-to-v1}. */
    public String laneName() {
        return source.id() + "-to-" + target.id();
    }
}
