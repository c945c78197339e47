package io.graybridge.bridge.audit;

/**
 * The kinds of audit event: each a CloudEvents {@code type}, the topic it goes to, and the JSON Schema of its
 * {@code data}, kept in the repo under {@code docs/audit/schemas/<schemaFile>} with {@link #dataSchema()} as its
 * {@code $id}.
 */
public enum EventType {
    CHANGE_APPLIED("io.graybridge.change.applied", Channel.CHANGES),
    CONFLICT_RESOLVED("io.graybridge.conflict.resolved", Channel.CONFLICTS),
    DEADLETTER("io.graybridge.deadletter", Channel.CONFLICTS),
    PHASE_CHANGED("io.graybridge.phase.changed", Channel.LIFECYCLE),
    GATE_DECIDED("io.graybridge.gate.decided", Channel.LIFECYCLE),
    REPAIR_APPLIED("io.graybridge.repair.applied", Channel.LIFECYCLE);

    /** Version of every schema below; a change that breaks consumers gets a new version and a new file. */
    public static final int SCHEMA_VERSION = 1;

    private final String type;
    private final Channel channel;

    EventType(String type, Channel channel) {
        this.type = type;
        this.channel = channel;
    }

    /** The CloudEvents {@code type}. */
    public String type() {
        return type;
    }

    /** Which of the configured topics it goes to. */
    public Channel channel() {
        return channel;
    }

    /** The file name of its JSON Schema under {@code docs/audit/schemas/}: {@code change.applied.v1.json}. */
    public String schemaFile() {
        return type.substring("io.graybridge.".length()) + ".v" + SCHEMA_VERSION + ".json";
    }

    /** The CloudEvents {@code dataschema}: the {@code $id} of its JSON Schema. */
    public String dataSchema() {
        return "urn:graybridge:audit:" + type.substring("io.graybridge.".length()) + ":v" + SCHEMA_VERSION;
    }

    /** The event type with CloudEvents {@code type} (or its short form, {@code change.applied}). */
    public static EventType ofType(String type) {
        for (EventType t : values()) {
            if (t.type.equals(type) || t.type.equals("io.graybridge." + type)) {
                return t;
            }
        }
        throw new IllegalArgumentException(type);
    }

    /** The three audit topics (names from config). */
    public enum Channel {
        CHANGES,
        CONFLICTS,
        LIFECYCLE
    }
}
