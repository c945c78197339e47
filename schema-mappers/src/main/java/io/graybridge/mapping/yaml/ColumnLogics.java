package io.graybridge.mapping.yaml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.Values;
import io.graybridge.mapping.yaml.ColumnRule.Kind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@link ColumnLogic} of each rule kind. */
final class ColumnLogics {
    private ColumnLogics() {}

    static ColumnLogic simple(Kind kind, String v1, String v2, Conversion conversion, Object defaultValue) {
        return switch (kind) {
            case RENAME -> new Convert(v1, v2, null);
            case CONVERT -> new Convert(v1, v2, conversion);
            case DEFAULT -> new Default(v2, defaultValue);
            case DROP -> new Drop(v1, false, null);
            default -> throw new IllegalArgumentException(kind + " needs its own settings");
        };
    }

    private static List<String> one(String c) {
        return List.of(c);
    }

    /** Rename (no conversion) or convert. */
    record Convert(String v1, String v2, Conversion conversion) implements ColumnLogic {
        @Override
        public List<String> reads(Direction d) {
            return one(d == Direction.FORWARD ? v1 : v2);
        }

        @Override
        public List<String> writes(Direction d) {
            return one(d == Direction.FORWARD ? v2 : v1);
        }

        @Override
        public List<String> consumes(Direction d) {
            return reads(d);
        }

        @Override
        public Object[] apply(Direction d, Object[] values) {
            Object v = values[0];
            if (conversion != null) {
                v = d == Direction.FORWARD ? conversion.forward(v) : conversion.backward(v);
            }
            return new Object[] {v};
        }

        @Override
        public String describe() {
            return conversion == null ? "rename " + v1 + " <-> " + v2 : "convert " + v1 + " <-> " + v2 + " (" + conversion + ")";
        }
    }

    record Default(String v2, Object value) implements ColumnLogic {
        @Override
        public List<String> reads(Direction d) {
            return List.of();
        }

        @Override
        public List<String> writes(Direction d) {
            return d == Direction.FORWARD ? one(v2) : List.of();
        }

        @Override
        public List<String> consumes(Direction d) {
            return d == Direction.BACKWARD ? one(v2) : List.of();
        }

        @Override
        public boolean fallback(Direction d) {
            return true;
        }

        @Override
        public Object[] apply(Direction d, Object[] values) {
            return d == Direction.FORWARD ? new Object[] {value} : new Object[0];
        }

        @Override
        public String describe() {
            return "v2-only " + v2 + ", default " + Values.render(value);
        }
    }

    record Drop(String v1, boolean hasDefault, Object value) implements ColumnLogic {
        @Override
        public List<String> reads(Direction d) {
            return List.of();
        }

        @Override
        public List<String> writes(Direction d) {
            return d == Direction.BACKWARD && hasDefault ? one(v1) : List.of();
        }

        @Override
        public List<String> consumes(Direction d) {
            return d == Direction.FORWARD ? one(v1) : List.of();
        }

        @Override
        public boolean fallback(Direction d) {
            return true;
        }

        @Override
        public Object[] apply(Direction d, Object[] values) {
            return d == Direction.BACKWARD && hasDefault ? new Object[] {value} : new Object[0];
        }

        @Override
        public String describe() {
            return "v1-only " + v1 + (hasDefault ? ", backward default " + Values.render(value) : ", kept on v1");
        }
    }

    /** What a value map does with a value it does not list. */
    enum Unmapped { ERROR, KEEP, DEFAULT }

    /** A one-to-one value map; the forward map's inverse is the backward map. */
    static final class ValueMap implements ColumnLogic {
        private final String v1;
        private final String v2;
        private final Map<Object, Object> forward = new HashMap<>();
        private final Map<Object, Object> backward = new HashMap<>();
        private final Map<Object, Object> declared;
        private final Unmapped unmapped;
        private final Object v1Default;
        private final Object v2Default;

        ValueMap(String v1, String v2, Map<Object, Object> map, Unmapped unmapped, Object v1Default, Object v2Default) {
            this.v1 = v1;
            this.v2 = v2;
            this.declared = new LinkedHashMap<>(map);
            map.forEach((a, b) -> {
                forward.put(norm(a), b);
                backward.put(norm(b), a);
            });
            this.unmapped = unmapped;
            this.v1Default = v1Default;
            this.v2Default = v2Default;
        }

        static Object norm(Object v) {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return BigDecimal.valueOf(((Number) v).longValue());
            }
            if (v instanceof BigInteger b) {
                return new BigDecimal(b);
            }
            if (v instanceof BigDecimal d) {
                return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
            }
            return v;
        }

        @Override
        public List<String> reads(Direction d) {
            return one(d == Direction.FORWARD ? v1 : v2);
        }

        @Override
        public List<String> writes(Direction d) {
            return one(d == Direction.FORWARD ? v2 : v1);
        }

        @Override
        public List<String> consumes(Direction d) {
            return reads(d);
        }

        @Override
        public boolean invertible() {
            return unmapped != Unmapped.DEFAULT;
        }

        @Override
        public Object[] apply(Direction d, Object[] values) {
            Object v = values[0];
            if (v == null) {
                return new Object[] {null};
            }
            Map<Object, Object> map = d == Direction.FORWARD ? forward : backward;
            Object key = norm(v);
            if (map.containsKey(key)) {
                return new Object[] {map.get(key)};
            }
            return new Object[] {switch (unmapped) {
                case KEEP -> v;
                case DEFAULT -> d == Direction.FORWARD ? v2Default : v1Default;
                case ERROR -> throw new IllegalArgumentException(Values.render(v) + " is not in the value map (it maps "
                        + (d == Direction.FORWARD ? forward.size() + " values: " + render(declared.keySet())
                                : render(declared.values()))
                        + "); declare it, or set 'unmapped' to keep or a default");
            }};
        }

        private static String render(java.util.Collection<Object> values) {
            return values.stream().map(Values::render).collect(Collectors.joining(", "));
        }

        @Override
        public String describe() {
            return "map " + v1 + " <-> " + v2 + " " + declared.entrySet().stream()
                    .map(e -> Values.render(e.getKey()) + "->" + Values.render(e.getValue()))
                    .collect(Collectors.joining(", ")) + ", unmapped: " + unmapped.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A computed column; with an inverse when the v1 column it replaces can be computed back. */
    static final class Compute implements ColumnLogic {
        private final String v1;
        private final String v2;
        private final SafeExpression forward;
        private final SafeExpression inverse;
        private final List<String> forwardReads;
        private final List<String> inverseReads;

        Compute(String v1, String v2, SafeExpression forward, SafeExpression inverse) {
            this.v1 = v1;
            this.v2 = v2;
            this.forward = forward;
            this.inverse = inverse;
            this.forwardReads = List.copyOf(forward.variables());
            this.inverseReads = inverse == null ? List.of() : List.copyOf(inverse.variables());
        }

        @Override
        public List<String> reads(Direction d) {
            return d == Direction.FORWARD ? forwardReads : inverseReads;
        }

        @Override
        public List<String> writes(Direction d) {
            if (d == Direction.FORWARD) {
                return one(v2);
            }
            return inverse == null ? List.of() : one(v1);
        }

        @Override
        public List<String> consumes(Direction d) {
            String own = d == Direction.FORWARD ? v1 : v2;
            return own == null ? List.of() : one(own);
        }

        @Override
        public boolean invertible() {
            return inverse != null;
        }

        @Override
        public Object[] apply(Direction d, Object[] values) {
            SafeExpression e = d == Direction.FORWARD ? forward : inverse;
            if (e == null) {
                return new Object[0];
            }
            for (Object v : values) {
                if (v == null) {
                    return new Object[] {null}; // NULL in, NULL out (as in SQL)
                }
            }
            return new Object[] {e.evaluate(values)}; // reads(d) lists e.variables() in order
        }

        @Override
        public String describe() {
            return "compute " + v2 + " = " + forward.text()
                    + (inverse != null ? "; " + v1 + " = " + inverse.text() : v1 != null ? "; one-way (replaces " + v1 + ")" : "; one-way");
        }
    }

    /**
     * One column ({@code whole}, on side {@code wholeSide}) that is several columns ({@code parts}) on the
     * other side: read whole and written as parts in one direction, the reverse in the other.
     */
    interface WholeAndParts extends ColumnLogic {
        Side wholeSide();

        String whole();

        List<String> parts();

        @Override
        default List<String> reads(Direction d) {
            return d.source() == wholeSide() ? List.of(whole()) : parts();
        }

        @Override
        default List<String> writes(Direction d) {
            return d.source() == wholeSide() ? parts() : List.of(whole());
        }

        @Override
        default List<String> consumes(Direction d) {
            return reads(d);
        }
    }

    /**
     * One text column ({@code whole}, on side {@code wholeSide}) that is several columns ({@code parts}) on
     * the other side: split at a separator one way, joined with it the other way.
     */
    record Joined(Side wholeSide, String whole, List<String> parts, String separator, boolean atLast) implements WholeAndParts {
        @Override
        public Object[] apply(Direction d, Object[] values) {
            return d.source() == wholeSide ? split(values[0]) : new Object[] {join(values)};
        }

        private Object[] split(Object value) {
            Object[] out = new Object[parts.size()];
            if (value == null) {
                return out;
            }
            if (!(value instanceof String s)) {
                throw new IllegalArgumentException("expected text to split, got " + Values.render(value));
            }
            int n = parts.size();
            List<String> pieces = new ArrayList<>(n);
            if (atLast) {
                int end = s.length();
                for (int i = 0; i < n - 1; i++) {
                    int at = s.lastIndexOf(separator, end - separator.length());
                    if (at < 0) {
                        break;
                    }
                    pieces.add(0, s.substring(at + separator.length(), end));
                    end = at;
                }
                pieces.add(0, s.substring(0, end));
            } else {
                int start = 0;
                for (int i = 0; i < n - 1; i++) {
                    int at = s.indexOf(separator, start);
                    if (at < 0) {
                        break;
                    }
                    pieces.add(s.substring(start, at));
                    start = at + separator.length();
                }
                pieces.add(s.substring(start));
            }
            for (int i = 0; i < pieces.size(); i++) {
                out[i] = pieces.get(i);
            }
            return out;
        }

        private String join(Object[] values) {
            StringBuilder sb = null;
            for (Object v : values) {
                if (v == null) {
                    continue;
                }
                if (!(v instanceof String s)) {
                    throw new IllegalArgumentException("expected text to join, got " + Values.render(v));
                }
                if (sb == null) {
                    sb = new StringBuilder(s);
                } else {
                    sb.append(separator).append(s);
                }
            }
            return sb == null ? null : sb.toString();
        }

        @Override
        public String describe() {
            return (wholeSide == Side.V1 ? "split " : "merge ") + whole + " <-> " + String.join(" + ", parts)
                    + " at " + Values.render(separator) + (atLast ? " (last)" : "");
        }
    }

    /** One JSON text column ({@code whole} on {@code wholeSide}) holding the columns {@code parts} of the other side. */
    record Json(Side wholeSide, String whole, List<String> parts) implements WholeAndParts {
        private static final ObjectMapper JSON = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

        @Override
        public Object[] apply(Direction d, Object[] values) {
            return d.source() == wholeSide ? unpack(values[0]) : new Object[] {pack(values)};
        }

        /** Writes the JSON text with Jackson's streaming generator (the same text an {@code ObjectNode} gives). */
        private String pack(Object[] values) {
            boolean allNull = true;
            for (Object v : values) {
                allNull &= v == null;
            }
            if (allNull) {
                return null;
            }
            java.io.StringWriter text = new java.io.StringWriter(16 * parts.size());
            try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
                g.writeStartObject();
                for (int i = 0; i < parts.size(); i++) {
                    Object v = values[i];
                    g.writeFieldName(parts.get(i));
                    if (v == null) {
                        g.writeNull();
                    } else if (v instanceof String s) {
                        g.writeString(s);
                    } else if (v instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else if (v instanceof BigDecimal b) {
                        g.writeNumber(b);
                    } else if (v instanceof BigInteger b) {
                        g.writeNumber(b);
                    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                        g.writeNumber(((Number) v).longValue());
                    } else if (v instanceof Double || v instanceof Float) {
                        g.writeNumber(((Number) v).doubleValue());
                    } else {
                        g.writeString(v.toString()); // dates, UUIDs: as text; unpacking gives the text back
                    }
                }
                g.writeEndObject();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
            }
            return text.toString();
        }

        private Object[] unpack(Object value) {
            Object[] out = new Object[parts.size()];
            if (value == null) {
                return out;
            }
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException("expected JSON text, got " + Values.render(value));
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("expected a JSON object with keys " + String.join(", ", parts));
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!parts.contains(key)) {
                    throw new IllegalArgumentException("JSON key '" + key + "' has no column (columns: "
                            + String.join(", ", parts) + "): it would be lost");
                }
            }
            for (int i = 0; i < parts.size(); i++) {
                JsonNode v = node.get(parts.get(i));
                out[i] = v == null || v.isNull() ? null
                        : v.isTextual() ? v.textValue()
                        : v.isBoolean() ? (Object) v.booleanValue()
                        : v.isIntegralNumber() ? (v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue())
                        : v.isNumber() ? v.decimalValue()
                        : v.toString();
            }
            return out;
        }

        @Override
        public String describe() {
            return (wholeSide == Side.V2 ? "pack-json " : "unpack-json ") + whole + " <-> " + String.join(", ", parts);
        }
    }
}
