package io.graybridge.bridge.capture;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns Debezium's Kafka Connect values into the canonical Java values of {@link io.graybridge.mapping.Row},
 * using each field's semantic schema name (Debezium's temporal and decimal types).
 */
final class ValueDecoder {
    /** What Debezium sends for a value it does not have (an unchanged TOASTed column). */
    static final String UNAVAILABLE = "__debezium_unavailable_value";

    private ValueDecoder() {}

    static Object decode(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "org.apache.kafka.connect.data.Decimal":
                    return value;
                case "io.debezium.data.VariableScaleDecimal": {
                    Struct s = (Struct) value;
                    return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
                }
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) value).longValue());
                case "io.debezium.time.Timestamp":
                    return LocalDateTime.ofInstant(Instant.ofEpochMilli((Long) value), ZoneOffset.UTC);
                case "io.debezium.time.MicroTimestamp": {
                    long micros = (Long) value;
                    return LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
                }
                case "io.debezium.time.NanoTimestamp": {
                    long nanos = (Long) value;
                    return LocalDateTime.ofEpochSecond(
                            Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L), ZoneOffset.UTC);
                }
                case "io.debezium.time.ZonedTimestamp":
                    return OffsetDateTime.parse((String) value);
                case "io.debezium.time.Time":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
                case "io.debezium.time.MicroTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L);
                case "io.debezium.time.NanoTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue());
                case "io.debezium.time.ZonedTime":
                    return OffsetTime.parse((String) value);
                case "io.debezium.data.Uuid":
                    return UUID.fromString((String) value);
                case "io.debezium.data.Bits":
                    return bits(bytes(value), schema.parameters() == null ? null : schema.parameters().get("length"));
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8:
                return ((Byte) value).shortValue();
            case BYTES:
                return bytes(value);
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object element : (List<?>) value) {
                    out.add(decode(schema.valueSchema(), element));
                }
                return out;
            }
            default:
                return value;
        }
    }

    /**
     * A BIT(n) / bit(n) / bit varying value as {@code 0}/{@code 1} digits, the most significant bit first, {@code n}
     * long (Debezium sends the bits little-endian, in as many bytes as they need, with {@code n} as the schema's
     * {@code length} parameter; without it, every bit of the bytes).
     */
    static String bits(byte[] littleEndian, String length) {
        int n = length == null ? littleEndian.length * 8 : Integer.parseInt(length);
        StringBuilder out = new StringBuilder(n);
        for (int i = n - 1; i >= 0; i--) {
            int b = i / 8 < littleEndian.length ? littleEndian[i / 8] : 0;
            out.append((b >> (i % 8) & 1) == 1 ? '1' : '0');
        }
        return out.toString();
    }

    static boolean isUnavailable(Object value) {
        if (value instanceof String s) {
            return UNAVAILABLE.equals(s);
        }
        if (value instanceof byte[] b) {
            return UNAVAILABLE.equals(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        return false;
    }

    static byte[] bytesOf(ByteBuffer buffer) {
        return bytes(buffer);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return out;
        }
        return (byte[]) value;
    }
}
