package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Row;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZeroDatesTest {
    private static final TableInfo T = new TableInfo("app", "t", List.of(
            new ColumnInfo("id", "bigint(20)", false, false),
            new ColumnInfo("d", "date", true, false),
            new ColumnInfo("dt", "datetime(6)", false, false),
            new ColumnInfo("ts", "timestamp(6)", true, false),
            new ColumnInfo("note", "text", true, false)), List.of("id"), true);

    private static List<String> suspects(Object d, Object dt, Object ts, Object note) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", 1L);
        v.put("d", d);
        v.put("dt", dt);
        v.put("ts", ts);
        v.put("note", note);
        return ZeroDates.suspects(T, Row.of(v)).stream().map(ColumnInfo::name).toList();
    }

    @Test
    void shouldSuspectOnlyNullOrEpochTemporalValues() {
        LocalDateTime now = LocalDateTime.of(2024, 5, 6, 7, 8);
        assertThat(suspects(LocalDate.of(2024, 1, 2), now, OffsetDateTime.of(now, ZoneOffset.UTC), null))
                .as("real dates, and a NULL in a text column").isEmpty();
        assertThat(suspects(null, now, null, "x")).as("NULLs Debezium may have read from zero dates").containsExactly("d", "ts");
        assertThat(suspects(LocalDate.EPOCH, LocalDateTime.of(1970, 1, 1, 0, 0),
                OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), null))
                .as("the epoch: Debezium's fallback in a NOT NULL column, a zero TIMESTAMP's binlog value")
                .containsExactly("d", "dt", "ts");
    }
}
