package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.EngineShop.Engine;
import io.graybridge.it.support.EngineShop.Engines;
import io.graybridge.it.support.TypeRows;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The type round trip of issue 5 item 4, on real servers with real capture: one table with a column of each type
 * (unsigned integers, tinyint(1) booleans, datetime and timestamp, enum, set, JSON, decimals, bit, binary, utf8mb4
 * text, keyword column names; {@link TypeRows}), rows written on the source before the lane starts (snapshot) and
 * while it runs (streamed inserts and updates), then both sides read back column by column in one canonical text
 * form and compared value for value. MariaDB -> PostgreSQL, PostgreSQL -> MariaDB and MariaDB -> MariaDB.
 *
 * <p>The source sessions write in a non-UTC zone ({@link TypeRows#WRITE_ZONE}) and the bridge runs in a JVM whose
 * default zone is neither UTC nor that one: a timestamp with time zone must arrive as the same instant, a
 * datetime / timestamp without time zone as the same wall-clock value.
 */
class TypeRoundTripIT {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static Stream<Engines> engines() {
        return Stream.of(new Engines(Engine.MARIADB, Engine.POSTGRESQL), new Engines(Engine.POSTGRESQL, Engine.MARIADB),
                new Engines(Engine.MARIADB, Engine.MARIADB),
                // MySQL 8: where Docker exists (skipped with the reason elsewhere)
                new Engines(Engine.MYSQL, Engine.MYSQL), new Engines(Engine.MYSQL, Engine.POSTGRESQL),
                new Engines(Engine.POSTGRESQL, Engine.MYSQL));
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The largest value of each type (max unsigned bigint into numeric(20)), 4-byte UTF-8 text, keyword columns. */
    static final Map<String, String> MAX = row("id", "1", "u8", "255", "u16", "65535", "u32", "4294967295",
            "u64", "18446744073709551615", "flag", "true", "dt", "9999-12-31 23:59:59.999999",
            "ts", "2038-01-19 03:14:07.999999", "d", "9999-12-31", "mood", "it's ok", "tags", "a,b,c d",
            "doc", "{\"a\":[1,2.5,\"x\"],\"b\":{\"c\":null},\"emoji\":\"🚀\"}", "amount", "99999999999999.999999",
            "neg", "999.99", "bits", "1111111111", "bin", "deadbeef", "vbin", "00ff00ff00ff00ff00ff00ff00ff00ff",
            "blb", "000102030405fffefd", "txt", "Zoë 🚀 漢字 O'Brien \\ tab\tend", "order", "2147483647",
            "key", "k🙂", "group", "g", "desc", "descending");
    /** Zeros, negatives, the smallest values, empty text and set. */
    static final Map<String, String> MIN = row("id", "2", "u8", "0", "u16", "0", "u32", "0", "u64", "0",
            "flag", "false", "dt", "1000-01-01 00:00:00.000000", "ts", "1970-01-01 00:00:01.000000", "d", "1000-01-01",
            "mood", "happy", "tags", "", "doc", "[]", "amount", "-99999999999999.999999", "neg", "-0.01",
            "bits", "0000000000", "bin", "00000000", "vbin", "", "blb", "", "txt", "", "order", "-2147483648",
            "key", "", "group", "", "desc", "");
    /** Every column NULL but the key. */
    static final Map<String, String> NULLS = row("id", "3");
    /** A streamed insert with ordinary values. */
    static final Map<String, String> STREAMED = row("id", "4", "u8", "7", "u16", "40000", "u32", "3000000000",
            "u64", "9223372036854775808", "flag", "true", "dt", "2024-02-29 12:34:56.000001",
            "ts", "2024-03-31 01:30:00.5", "d", "2024-02-29", "mood", "sad", "tags", "c d",
            "doc", "{\"n\":12345678901234567890,\"s\":\"a\\\"b\"}", "amount", "0.000001", "neg", "-123.45",
            "bits", "1000000001", "bin", "01020304", "vbin", "7f", "blb", "ff", "txt", "𝄞 music", "order", "0",
            "key", "order", "group", "by", "desc", "asc");

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void shouldCarryEveryTypeValueForValueInTheSnapshotAndTheStream(Engines engines) throws Exception {
        TimeZone jvmZone = TimeZone.getDefault();
        try (TypeRows f = TypeRows.create("types", engines)) {
            f.write(Side.V1, f.insert(Side.V1, MAX), f.insert(Side.V1, MIN), f.insert(Side.V1, NULLS));
            BridgeConfig cfg = ConfigLoader.load(f.writeConfig(false), f.env());
            // neither UTC nor the writers' zone, and with daylight saving: the bridge must not depend on it
            TimeZone.setDefault(TimeZone.getTimeZone("America/Sao_Paulo"));
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 3
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                awaitSameRows(f, lane);

                f.write(Side.V1, f.insert(Side.V1, STREAMED),
                        f.update(Side.V1, 1, row("u64", "18446744073709551614", "flag", "false", "tags", "b",
                                "ts", "2000-01-01 00:00:00.000001", "bits", "0101010101", "neg", "-999.99",
                                "doc", "{\"z\":1,\"a\":2}", "order", "-1", "txt", "👩‍👩‍👧")),
                        f.update(Side.V1, 3, MAX.entrySet().stream().filter(e -> !e.getKey().equals("id"))
                                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll)),
                        f.update(Side.V1, 2, row("vbin", null, "mood", null, "u8", "1", "dt", "1001-02-03 04:05:06.000007")));
                await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().streamedChanges() >= 4
                        || lane.state() != Lane.State.RUNNING);
                awaitSameRows(f, lane);
                assertThat(lane.stats().streamedChanges()).as("1 insert and 3 updates").isEqualTo(4);
                // each update's before image equals the row the lane wrote: values compare exactly across engines
                assertThat(lane.stats().conflictsIncomingWon() + lane.stats().conflictsCurrentKept()).as("conflicts").isZero();
            } finally {
                TimeZone.setDefault(jvmZone);
            }
            List<Map<String, String>> v2 = f.read(Side.V2);
            assertThat(v2).hasSize(4);
            assertThat(v2.get(0)).containsEntry("u64", "18446744073709551614").containsEntry("flag", "false")
                    .containsEntry("ts", "2000-01-01 00:00:00.000001").containsEntry("txt", "👩‍👩‍👧");
            assertThat(v2.get(1)).containsEntry("vbin", null).containsEntry("u8", "1");
            assertThat(v2.get(3)).containsEntry("u64", "9223372036854775808").containsEntry("ts", "2024-03-31 01:30:00.500000");
        }
    }

    /**
     * MariaDB and MySQL zero dates ({@code 0000-00-00}, allowed unless the session's sql_mode has NO_ZERO_DATE) have no value
     * in PostgreSQL nor in Java: a row holding one is a dead letter naming the table, the key and the column, never
     * a NULL or an epoch written silently. Policy skip here, so each change is checked on its own: in the snapshot
     * (read as NULL by JDBC) and in the binlog (read as NULL by Debezium's row decoder), in an insert and an update.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binlogSources")
    void shouldDeadLetterARowWithAZeroDateNamingTheTableKeyAndColumn(Engines engines) throws Exception {
        try (TypeRows f = TypeRows.create("zerodate", engines)) {
            f.write(Side.V1, f.insert(Side.V1, MIN), f.insert(Side.V1, NULLS), "SET SESSION sql_mode = ''",
                    "INSERT INTO " + f.table(Side.V1) + " (id, d) VALUES (10, '0000-00-00')");
            BridgeConfig cfg = ConfigLoader.load(f.writeConfig(false, "skip"), f.env());
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().deadLetters() >= 1
                        || lane.state() != Lane.State.RUNNING);
                f.write(Side.V1, "SET SESSION sql_mode = ''",
                        "INSERT INTO " + f.table(Side.V1) + " (id, dt) VALUES (11, '0000-00-00 00:00:00')",
                        "INSERT INTO " + f.table(Side.V1) + " (id, ts) VALUES (12, '0000-00-00 00:00:00')",
                        "UPDATE " + f.table(Side.V1) + " SET d = '2024-00-10' WHERE id = 2");
                await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().deadLetters() >= 4
                        || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                List<String> letters = f.deadLetters(Side.V2);
                assertThat(letters).as("dead letters").hasSize(4);
                assertThat(letters.get(0)).contains("type_rows|", "(id=10) column d:", "zero date", "SET `d` = NULL WHERE `id` = 10");
                assertThat(letters.get(1)).contains("(id=11) column dt:");
                assertThat(letters.get(2)).contains("(id=12) column ts:");
                assertThat(letters.get(3)).contains("(id=2) column d:");
                // a real NULL next to them is no zero date: the snapshot row with NULLs went through
                assertThat(lane.stats().snapshotRows()).isEqualTo(2);
            }
            List<Map<String, String>> v2 = f.read(Side.V2);
            assertThat(v2).extracting(r -> r.get("id")).as("no row with a zero date was written").containsExactly("2", "3");
            assertThat(v2.get(0)).as("the rejected update left row 2 as it was").containsEntry("d", MIN.get("d"));
        }
    }

    /** A MariaDB tinyint(1) holding neither 0 nor 1 has no PostgreSQL boolean: a dead letter, the other rows flow. */
    @org.junit.jupiter.api.Test
    void shouldDeadLetterATinyintOneThatIsNotABooleanGoingToPostgres() throws Exception {
        try (TypeRows f = TypeRows.create("tinybool", new Engines(Engine.MARIADB, Engine.POSTGRESQL))) {
            f.write(Side.V1, f.insert(Side.V1, MIN), "INSERT INTO " + f.table(Side.V1) + " (id, flag) VALUES (20, 5)");
            BridgeConfig cfg = ConfigLoader.load(f.writeConfig(false, "skip"), f.env());
            try (Bridge bridge = Bridge.open(cfg)) {
                bridge.start();
                Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
                await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().deadLetters() + lane.stats().snapshotRows() >= 2
                        || lane.state() != Lane.State.RUNNING);
                f.write(Side.V1, "INSERT INTO " + f.table(Side.V1) + " (id, flag) VALUES (21, -1), (22, 1)");
                await().atMost(Duration.ofSeconds(60)).until(() -> lane.stats().deadLetters() >= 2
                        && lane.stats().streamedChanges() >= 1 || lane.state() != Lane.State.RUNNING);
                assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
                assertThat(f.deadLetters(Side.V2)).hasSize(2);
                assertThat(f.deadLetters(Side.V2).get(0)).contains("type_rows|{id=20}|",
                        "column types_v2.type_rows.flag (boolean) cannot hold 5: only 0 and 1 are booleans");
                assertThat(f.deadLetters(Side.V2).get(1)).contains("{id=21}", "cannot hold -1");
            }
            assertThat(f.read(Side.V2)).extracting(r -> r.get("id") + ":" + r.get("flag")).containsExactly("2:false", "22:true");
        }
    }

    static Stream<Engines> binlogSources() {
        return engines().filter(e -> e.v1().binlog());
    }

    private static void awaitSameRows(TypeRows f, Lane lane) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(lane.state()).as("failure: %s", lane.failure()).isEqualTo(Lane.State.RUNNING);
            List<Map<String, String>> v1 = canonical(f.read(Side.V1));
            List<Map<String, String>> v2 = canonical(f.read(Side.V2));
            assertThat(v2).as("v2 rows, column by column").hasSameSizeAs(v1);
            for (int i = 0; i < v1.size(); i++) {
                assertThat(v2.get(i)).as("row %s on v2", v1.get(i).get("id")).containsExactlyEntriesOf(v1.get(i));
            }
        });
    }

    /** JSON compared as JSON values (jsonb keeps neither key order nor whitespace); the rest as read. */
    private static List<Map<String, String>> canonical(List<Map<String, String>> rows) throws Exception {
        for (Map<String, String> r : rows) {
            if (r.get("doc") != null) {
                r.put("doc", JSON.writeValueAsString(JSON.readValue(r.get("doc"), Object.class)));
            }
        }
        return rows;
    }
}
