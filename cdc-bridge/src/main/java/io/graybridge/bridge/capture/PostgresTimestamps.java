package io.graybridge.bridge.capture;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Debezium converter for PostgreSQL {@code timestamp} (without time zone) columns: the wall-clock value as
 * microseconds since 1970-01-01T00:00 ({@code io.debezium.time.MicroTimestamp}), read from the value's own fields.
 * Debezium's snapshot gets a {@link Timestamp} from the JDBC driver (built in the JVM's zone, on the Julian calendar
 * before 1582) and turns it into an instant and back with the JVM's zone rules, which moves values before 1583 by
 * days and values in the zone's local mean time by minutes; {@link Timestamp#toLocalDateTime()} reads back what the
 * driver built. Streamed values arrive as {@link LocalDateTime} and pass unchanged.
 */
public final class PostgresTimestamps implements CustomConverter<SchemaBuilder, RelationalColumn> {

    @Override
    public void configure(Properties props) {
        // nothing to configure
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        if (!"timestamp".equals(column.typeName().toLowerCase(Locale.ROOT))) {
            return;
        }
        SchemaBuilder schema = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1);
        if (column.isOptional()) {
            schema.optional();
        }
        registration.register(schema, PostgresTimestamps::micros);
    }

    /** The wall-clock value of {@code value} in microseconds since 1970-01-01T00:00, or null. */
    static Object micros(Object value) {
        LocalDateTime t;
        if (value == null) {
            return null;
        } else if (value instanceof Timestamp ts) {
            t = ts.toLocalDateTime();
        } else if (value instanceof LocalDateTime ldt) {
            t = ldt;
        } else if (value instanceof Instant i) {
            t = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        } else if (value instanceof String s) {
            // a column default as text ('2024-01-01 00:00:00'::timestamp without time zone)
            String text = s.replaceFirst("::.*$", "").replace("'", "").trim().replace(' ', 'T');
            try {
                t = LocalDateTime.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                return null; // not a constant: no default
            }
        } else if (value instanceof Number n) {
            return n.longValue(); // already microseconds
        } else {
            throw new IllegalArgumentException("unexpected timestamp value " + value + " (" + value.getClass().getName() + ")");
        }
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000L);
    }
}
