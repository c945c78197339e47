package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.it.support.MappingExamplesFixture;
import io.graybridge.mapping.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The writer sends runs of new rows as COPY instead of INSERTs: the rows on v2 must be exactly the rows
 * on v1, for every type the text form covers and the values that are hard to escape (tabs, newlines,
 * backslashes, the text {@code \N}, unicode, NaN and infinities, bytea, time zones), in backfill and in
 * streaming, arrays with NULL elements included.
 */
class CopyApplyIT {
    private static final String TABLE = """
            CREATE TABLE %1$s.typed (
                id   bigint PRIMARY KEY,
                txt  text,
                vc   varchar(40),
                ch   char(3),
                sm   smallint,
                num  numeric(24,6),
                f8   double precision,
                f4   real,
                flag boolean,
                bin  bytea,
                d    date,
                ts   timestamp,
                tstz timestamptz,
                tm   time,
                tmtz timetz,
                u    uuid,
                j    jsonb,
                js   json,
                mood %1$s.mood,
                iv   interval
            );
            CREATE TABLE %1$s.with_array (id bigint PRIMARY KEY, arr int[], txt text);
            ALTER TABLE %1$s.typed REPLICA IDENTITY FULL;
            ALTER TABLE %1$s.with_array REPLICA IDENTITY FULL;
            """;

    /** Rows {@code from..to} with every column cycling through plain and awkward values. */
    private static String rows(String schema, int from, int to) {
        return "INSERT INTO " + schema + ".typed SELECT g,"
                + " (ARRAY[E'tab\\there', E'line\\nbreak\\r', E'back\\\\slash', '\\N', '', NULL, 'Grüße 漢字 🙂', 'x'])[1 + g % 8],"
                + " 'v' || g, (ARRAY['abc', 'a  ', NULL])[1 + g % 3], (g % 65535 - 32767)::smallint,"
                + " (ARRAY[0, -0.000001, 12345678901234.123456, NULL])[1 + g % 4],"
                + " (ARRAY['NaN', 'Infinity', '-Infinity', '1e-300', '-0', '3.141592653589793'])[1 + g % 6]::float8,"
                + " (ARRAY['3.4028235e38', '1.1754944e-38', 'NaN', '0.1'])[1 + g % 4]::real,"
                + " (ARRAY[true, false, NULL])[1 + g % 3],"
                + " (ARRAY['\\x00ff5c0a09'::bytea, ''::bytea, NULL])[1 + g % 3],"
                + " (ARRAY['0001-01-01', '9999-12-31', '2024-02-29'])[1 + g % 3]::date,"
                + " '2026-03-29 02:30:00.123456'::timestamp + g * interval '1 minute',"
                + " '2026-10-25 01:30:00.654321+02'::timestamptz + g * interval '1 second',"
                + " (ARRAY['23:59:59.999999', '00:00:00'])[1 + g % 2]::time,"
                + " (ARRAY['10:00:00+05:30', '23:00:00-03'])[1 + g % 2]::timetz,"
                + " md5(g::text)::uuid,"
                + " ('{\"a\": [1, \"x\\ty\"], \"n\": ' || g || ', \"b\": null}')::jsonb,"
                + " '{ \"k\" :  \"v\\\\\" }'::json,"
                + " (ARRAY['ok', 'sad'])[1 + g % 2]::" + schema + ".mood,"
                + " (ARRAY['1 day 02:03:04.5', '-1 mons', '0'])[1 + g % 3]::interval"
                + " FROM generate_series(" + from + ", " + to + ") g";
    }

    private MappingExamplesFixture db;
    private ListAppender<ILoggingEvent> copies;
    private Logger copyLog;

    @BeforeEach
    void create() {
        db = MappingExamplesFixture.create("copyapply",
                "CREATE SCHEMA c_v1; CREATE TYPE c_v1.mood AS ENUM ('ok', 'sad');" + TABLE.formatted("c_v1"),
                "CREATE SCHEMA c_v2; CREATE TYPE c_v2.mood AS ENUM ('ok', 'sad');" + TABLE.formatted("c_v2"));
        copyLog = (Logger) LoggerFactory.getLogger("io.graybridge.bridge.apply.CopyRows");
        copies = new ListAppender<>();
        copies.start();
        copyLog.addAppender(copies);
        copyLog.setLevel(Level.DEBUG);
    }

    @AfterEach
    void drop() {
        copyLog.detachAppender(copies);
        copyLog.setLevel(null);
        db.close();
    }

    @Test
    void copiedRowsAreExactlyTheSourceRowsInBackfillAndStreaming() throws Exception {
        db.execute(rows("c_v1", 1, 300));
        db.execute("INSERT INTO c_v1.with_array SELECT g, ARRAY[g, NULL, -g], 'a' || g FROM generate_series(1, 100) g");
        Path mapping = db.dir().resolve("identity.yaml");
        Files.writeString(mapping, "version: 1\ntables:\n  - v1: typed\n    key: id\n  - v1: with_array\n    key: id\n");
        Path file = db.writeConfig("c_v1", "c_v2", mapping, "typed, with_array");
        Files.writeString(file, Files.readString(file).replace("    enabled: false\n",
                "    slot-name: " + db.database() + "_copy\n"
                        + "    batch-size: 500\n    poll-interval-ms: 20\n"));
        BridgeConfig cfg = ConfigLoader.load(file, db.env());
        try (Bridge bridge = Bridge.open(cfg)) {
            bridge.start();
            Lane lane = bridge.lane(Direction.FORWARD).orElseThrow();
            await().atMost(Duration.ofSeconds(90)).until(() -> lane.stats().snapshotRows() == 400);
            assertSame("typed");
            assertSame("with_array");

            await().atMost(Duration.ofSeconds(60)).until(lane::isStreaming);
            // how many rows a backfill batch holds depends on timing; a streamed transaction is one batch
            long typedBefore = copied("c_v2.typed");
            long arraysBefore = copied("c_v2.with_array");
            db.execute(rows("c_v1", 1001, 1200)); // one transaction of 200 new rows: COPY
            db.execute("INSERT INTO c_v1.with_array SELECT g, ARRAY[g, NULL, -g, 0], E'b\\\\' || g"
                    + " FROM generate_series(1001, 1100) g");
            db.execute(rows("c_v1", 2001, 2001)); // one row: an INSERT
            db.execute("UPDATE c_v1.with_array SET arr = ARRAY[NULL, 7]::int[], txt = 'arr' WHERE id = 1");
            db.execute("UPDATE c_v1.typed SET txt = E'up\\tdated' WHERE id = 1001");
            await().atMost(Duration.ofSeconds(60)).until(() -> count("c_v2.typed") == 501
                    && "up\tdated".equals(text("SELECT txt FROM c_v2.typed WHERE id = 1001")));
            assertThat(copied("c_v2.typed")).as("the streamed 200-row transaction went as COPY").isGreaterThan(typedBefore);
            assertSame("typed");
            await().atMost(Duration.ofSeconds(30)).until(() -> "arr".equals(text("SELECT txt FROM c_v2.with_array WHERE id = 1"))
                    && count("c_v2.with_array") == 200);
            assertThat(copied("c_v2.with_array")).as("arrays with NULLs go as COPY too").isGreaterThan(arraysBefore);
            assertSame("with_array");
        }
    }

    private long copied(String table) {
        return copies.list.stream()
                .filter(e -> e.getFormattedMessage().endsWith(" into \"" + table.replace(".", "\".\"") + "\""))
                .count();
    }

    /**
     * Compares every column of every row in text form. {@code timetz} is compared in UTC: Debezium delivers
     * {@code time with time zone} normalized to UTC (its {@code ZonedTime}), so the offset written on v1 is
     * not carried, on any write path (a known limit, README "When two values are the same").
     */
    private void assertSame(String table) throws SQLException {
        String row = table.equals("typed")
                ? "(to_jsonb(t) - 'tmtz') || jsonb_build_object('tmtz', (t.tmtz AT TIME ZONE 'UTC')::text)"
                : "to_jsonb(t)";
        List<String> v1 = rowsOf("SELECT " + row + " FROM c_v1." + table + " t ORDER BY id");
        List<String> v2 = rowsOf("SELECT " + row + " FROM c_v2." + table + " t ORDER BY id");
        assertThat(v2).as(table + " on v2, row by row in text form").hasSize(v1.size()).containsExactlyElementsOf(v1);
    }

    private long count(String table) throws SQLException {
        return Long.parseLong(text("SELECT count(*) FROM " + table));
    }

    private String text(String sql) throws SQLException {
        List<String> r = rowsOf(sql);
        return r.isEmpty() ? null : r.get(0);
    }

    private List<String> rowsOf(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
