package io.graybridge.bridge.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graybridge.mapping.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A row as JSON that keeps each value's Java type, so a dead letter is re-applied with exactly the values
 * capture decoded: {@code {"id": ["J", "7"], "name": ["S", "Ada"], "gone": null}}. Each value is a pair of
 * a type tag and its text (a list is a tag {@code L} and an array of pairs).
 */
public final class RowCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RowCodec() {}

    /** {@code row} as typed JSON; {@code null} stays {@code null}. */
    public static String encode(Row row) {
        if (row == null) {
            return null;
        }
        ObjectNode out = JSON.createObjectNode();
        row.asMap().forEach((column, value) -> out.set(column, value(value)));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a row as JSON", e);
        }
    }

    /** The row {@link #encode} wrote; {@code null} stays {@code null}. */
    public static Row decode(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), value(e.getValue()));
            }
            return Row.of(values);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a row written by RowCodec: " + e.getMessage(), e);
        }
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return JSON.nullNode();
        }
        ArrayNode pair = JSON.createArrayNode();
        if (v instanceof List<?> list) {
            ArrayNode items = JSON.createArrayNode();
            list.forEach(item -> items.add(value(item)));
            return pair.add("L").add(items);
        }
        String text = v instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : v.toString();
        return pair.add(tag(v)).add(text);
    }

    private static String tag(Object v) {
        if (v instanceof String) return "S";
        if (v instanceof Boolean) return "Z";
        if (v instanceof Short) return "H";
        if (v instanceof Integer) return "I";
        if (v instanceof Long) return "J";
        if (v instanceof BigInteger) return "BI";
        if (v instanceof Float) return "F";
        if (v instanceof Double) return "D";
        if (v instanceof BigDecimal) return "N";
        if (v instanceof LocalDate) return "LD";
        if (v instanceof LocalTime) return "LT";
        if (v instanceof LocalDateTime) return "LDT";
        if (v instanceof OffsetDateTime) return "ODT";
        if (v instanceof OffsetTime) return "OT";
        if (v instanceof Instant) return "INS";
        if (v instanceof UUID) return "U";
        if (v instanceof byte[]) return "B";
        throw new IllegalArgumentException("no dead-letter encoding for a value of type " + v.getClass().getName());
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String tag = node.get(0).asText();
        JsonNode body = node.get(1);
        if (tag.equals("L")) {
            List<Object> out = new ArrayList<>();
            body.forEach(item -> out.add(value(item)));
            return out;
        }
        String t = body.asText();
        return switch (tag) {
            case "S" -> t;
            case "Z" -> Boolean.valueOf(t);
            case "H" -> Short.valueOf(t);
            case "I" -> Integer.valueOf(t);
            case "J" -> Long.valueOf(t);
            case "BI" -> new BigInteger(t);
            case "F" -> Float.valueOf(t);
            case "D" -> Double.valueOf(t);
            case "N" -> new BigDecimal(t);
            case "LD" -> LocalDate.parse(t);
            case "LT" -> LocalTime.parse(t);
            case "LDT" -> LocalDateTime.parse(t);
            case "ODT" -> OffsetDateTime.parse(t);
            case "OT" -> OffsetTime.parse(t);
            case "INS" -> Instant.parse(t);
            case "U" -> UUID.fromString(t);
            case "B" -> Base64.getDecoder().decode(t);
            default -> throw new IllegalArgumentException("unknown value tag '" + tag + "'");
        };
    }
}
