package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class PostgresTimestampsTest {
    private static long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
    }

    @Test
    void shouldKeepTheWallClockValueOfADriverTimestampWhateverTheJvmZoneAndCalendar() {
        TimeZone zone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo")); // local mean time before 1914
            for (LocalDateTime t : new LocalDateTime[] {LocalDateTime.of(1000, 1, 1, 0, 0), // Julian calendar
                    LocalDateTime.of(1900, 6, 1, 12, 0, 0, 123_456_000), LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000)}) {
                Timestamp driver = Timestamp.valueOf(t); // as PgJDBC builds it: the fields in the JVM's zone and calendar
                assertThat(PostgresTimestamps.micros(driver)).as("%s", t).isEqualTo(micros(t));
            }
        } finally {
            TimeZone.setDefault(zone);
        }
    }

    @Test
    void shouldPassStreamedValuesAndReadDefaults() {
        LocalDateTime t = LocalDateTime.of(1001, 2, 3, 4, 5, 6, 7_000);
        assertThat(PostgresTimestamps.micros(t)).isEqualTo(micros(t));
        assertThat(PostgresTimestamps.micros("'2024-01-01 00:00:00'::timestamp without time zone"))
                .isEqualTo(micros(LocalDateTime.of(2024, 1, 1, 0, 0)));
        assertThat(PostgresTimestamps.micros("now()")).isNull();
        assertThat(PostgresTimestamps.micros(null)).isNull();
    }
}
