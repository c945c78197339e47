package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One audit event, rendered as a CloudEvents 1.0 structured JSON document ({@code application/cloudevents+json}).
 *
 * @param id unique per {@code source} and the same every time the same fact is recorded (a replay after a
 *     crash carries the same id), so consumers deduplicate by {@code (source, id)}
 * @param source the bridge instance and lane: {@code /graybridge/<bridge>/<lane>}, or {@code /graybridge/<bridge>/lifecycle}
 * @param type what happened
 * @param subject the table and key ({@code clients/{"id":42}}), or what a lifecycle event is about
 * @param time when it happened
 * @param recordKey the Kafka record key: table and primary key, so one row's events stay in order in one partition
 * @param data the event's payload, JSON-ready (maps, lists, strings, numbers, booleans, nulls), masked already
 */
public record AuditEvent(String id, String source, EventType type, String subject, Instant time, String recordKey,
        Map<String, Object> data) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(recordKey, "recordKey");
        Objects.requireNonNull(data, "data");
    }

    /** The {@code source} of a lane's events. */
    public static String source(String bridge, String lane) {
        return "/graybridge/" + bridge + "/" + lane;
    }

    /** A stable id: the same parts give the same id (a name-based UUID), whenever and however often computed. */
    public static String stableId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A lifecycle event (phase change, gate decision, repair, forced override): append it with
     * {@link Outbox#append}; {@code id} should come from the fact (e.g. {@link #stableId}) or be generated once.
     */
    public static AuditEvent lifecycle(String bridge, EventType type, String id, String subject, Map<String, Object> data) {
        return new AuditEvent(id, source(bridge, "lifecycle"), type, subject, Instant.now(), subject, data);
    }

    /** The CloudEvents structured JSON document. */
    public String toJson() {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("specversion", "1.0");
        ce.put("id", id);
        ce.put("source", source);
        ce.put("type", type.type());
        ce.put("subject", subject);
        ce.put("time", time.toString());
        ce.put("datacontenttype", "application/json");
        ce.put("dataschema", type.dataSchema());
        ce.put("partitionkey", recordKey);
        ce.put("data", data);
        try {
            return JSON.writeValueAsString(ce);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render audit event " + id + " as JSON", e);
        }
    }
}
