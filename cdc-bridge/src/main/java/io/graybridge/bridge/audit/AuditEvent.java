package io.graybridge.bridge.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
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
        Map<String, Object> data) implements AuditRecord {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes UTF-8 directly; characters outside the BMP as their four bytes, as the data binder's text does. */
    static final JsonFactory UTF8 = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

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

    /**
     * A stable id: the same parts give the same id (a name-based UUID, version 3, of the parts joined by NUL
     * characters), whenever and however often computed. The same value as {@link UUID#nameUUIDFromBytes}, with the
     * thread's MD5 digest reused instead of looked up for every event.
     */
    public static String stableId(String... parts) {
        MessageDigest md5 = MD5.get();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                md5.update((byte) 0);
            }
            md5.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        return nameUuid(md5.digest());
    }

    /** The thread's MD5 digest, reset: for {@link FactsRenderer}, which feeds it the parts of an id as bytes. */
    static MessageDigest md5() {
        MessageDigest md5 = MD5.get();
        md5.reset();
        return md5;
    }

    /** The name-based UUID (version 3) of an MD5 {@code digest}, as {@link UUID#nameUUIDFromBytes} makes it. */
    static String nameUuid(byte[] digest) {
        byte[] b = digest;
        b[6] = (byte) ((b[6] & 0x0f) | 0x30); // version 3
        b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (b[i] & 0xff);
            lsb = (lsb << 8) | (b[8 + i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    });

    /**
     * A lifecycle event (phase change, gate decision, repair, forced override): append it with
     * {@link Outbox#append}; {@code id} should come from the fact (e.g. {@link #stableId}) or be generated once.
     */
    public static AuditEvent lifecycle(String bridge, EventType type, String id, String subject, Map<String, Object> data) {
        return new AuditEvent(id, source(bridge, "lifecycle"), type, subject, Instant.now(), subject, data);
    }

    /** The CloudEvents structured JSON document. */
    public String toJson() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The CloudEvents structured JSON document in UTF-8, as stored in the outbox and published. Written field by
     * field with a streaming generator rather than through a map and the data binder: the writer renders one per
     * applied change inside the lane's transaction, so this is on the lane's hot path. The text is the same as
     * the data binder's ({@code AuditEventTest} compares them).
     */
    public byte[] toJsonBytes() {
        ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
        try (JsonGenerator g = UTF8.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("specversion", "1.0");
            g.writeStringField("id", id);
            g.writeStringField("source", source);
            g.writeStringField("type", type.type());
            g.writeStringField("subject", subject);
            g.writeStringField("time", time.toString());
            g.writeStringField("datacontenttype", "application/json");
            g.writeStringField("dataschema", type.dataSchema());
            g.writeStringField("partitionkey", recordKey);
            g.writeFieldName("data");
            write(g, data);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot render audit event " + id + " as JSON", e);
        }
        return buffer.toByteArray();
    }

    /** Writes a JSON-ready value; anything but maps, lists, text, numbers, booleans and null goes to the data binder. */
    static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof MaskedRow row) {
            row.write(g);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else {
            JSON.writeValue(g, v); // sets, arrays, other numbers, enums, beans: exactly as before
        }
    }
}
