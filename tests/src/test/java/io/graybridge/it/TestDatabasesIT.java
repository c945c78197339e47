package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.it.support.MariaDbServer;
import io.graybridge.it.support.MySqlServer;
import io.graybridge.it.support.PgServer;
import io.graybridge.it.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

/** The test servers that {@link TestDatabases} finds are fit for change data capture. */
class TestDatabasesIT {

    @Test
    void postgresHasLogicalDecodingAndIsolatedDatabases() throws Exception {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase("selftest");
        try {
            assertThat(db).matches("gbit_selftest_[0-9a-f]{8}");
            assertThat(pg.jdbcUrl(db)).contains("/" + db);
            try (Connection c = pg.connect(db)) {
                assertThat(one(c, "SHOW wal_level")).isEqualTo("logical");
                assertThat(one(c, "SELECT current_database()")).isEqualTo(db);

                String slot = db + "_slot";
                call(c, "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')", slot);
                assertThat(rows(c, "SELECT plugin || ' ' || slot_type || ' ' || database"
                        + " FROM pg_replication_slots WHERE slot_name = ?", slot))
                        .containsExactly("pgoutput logical " + db);
                call(c, "SELECT pg_drop_replication_slot(?)", slot);
                assertThat(pg.replicationSlots(db)).isEmpty();
            }
        } finally {
            pg.dropDatabase(db);
        }
        assertThat(pg.databaseExists(db)).isFalse();
    }

    @Test
    void dropDatabaseDropsItsSlotsEvenWhileOneIsStreaming() throws Exception {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase("dropslots");
        Connection replication = null;
        try {
            try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
                st.execute("CREATE PUBLICATION gbit_pub FOR TABLE t");
                call(c, "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')", db + "_idle");
                call(c, "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')", db + "_busy");
            }
            replication = replicationConnection(pg, db);
            PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().logical()
                    .withSlotName(db + "_busy")
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", "gbit_pub")
                    .start();
            stream.readPending();
            try (Connection c = pg.connect(pg.adminDatabase())) {
                assertThat(rows(c, "SELECT slot_name || ' ' || active FROM pg_replication_slots"
                        + " WHERE database = ? ORDER BY slot_name", db))
                        .containsExactly(db + "_busy true", db + "_idle false");
            }

            pg.dropDatabase(db);

            assertThat(pg.replicationSlots(db)).isEmpty();
            assertThat(pg.databaseExists(db)).isFalse();
        } finally {
            closeQuietly(replication);
            pg.dropDatabase(db);
        }
    }

    @Test
    void cleanupStaleSlotsDropsOnlyInactiveTestSlots() throws Exception {
        PgServer pg = TestDatabases.postgres();
        String db = pg.createDatabase("stale");
        String other = "keep" + db.substring(db.lastIndexOf('_'));
        try {
            try (Connection c = pg.connect(db)) {
                call(c, "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')", db + "_left");
                call(c, "SELECT slot_name FROM pg_create_logical_replication_slot(?, 'pgoutput')", other);
            }
            assertThat(pg.cleanupStaleSlots()).as("a database this run still uses keeps its slots").doesNotContain(db + "_left");
            pg.releaseLease(db); // as a killed run leaves it: nobody connected
            assertThat(pg.cleanupStaleSlots()).contains(db + "_left").doesNotContain(other);
            assertThat(pg.replicationSlots(db)).containsExactly(other);
        } finally {
            pg.dropDatabase(db);
        }
        assertThat(pg.replicationSlots(db)).isEmpty();
    }

    @Test
    void mariadbHasFullRowBinlog() throws Exception {
        MariaDbServer m = TestDatabases.mariadb();   // aborts (skipped, with the reason) when none
        String db = m.createDatabase("selftest");
        try (Connection c = m.connect(db)) {
            assertThat(one(c, "SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(one(c, "SELECT @@binlog_row_image")).isEqualTo("FULL");
            assertThat(one(c, "SELECT @@log_bin")).isEqualTo("1");
            assertThat(one(c, "SELECT DATABASE()")).isEqualTo(db);
        } finally {
            m.dropDatabase(db);
        }
        try (Connection c = m.connect(null)) {
            assertThat(rows(c, "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?", db))
                    .isEmpty();
        }
    }

    @Test
    void mysql8HasRowBinlogWithGtids() throws Exception {
        MySqlServer m = TestDatabases.mysql8();     // aborts (skipped, with the reason) without Docker
        try (Connection c = m.connect(null)) {
            assertThat(one(c, "SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(one(c, "SELECT @@gtid_mode")).isEqualTo("ON");
        }
    }

    // ----------------------------------------------------------------------------------------------

    private static Connection replicationConnection(PgServer pg, String db) throws SQLException {
        Properties props = new Properties();
        PGProperty.USER.set(props, pg.user());
        if (!pg.password().isEmpty()) {
            PGProperty.PASSWORD.set(props, pg.password());
        }
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        return DriverManager.getConnection(pg.jdbcUrl(db), props);
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static void call(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            ps.executeQuery().close();
        }
    }

    private static List<String> rows(Connection c, String sql, String param) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // the server ended it when the slot was dropped
            }
        }
    }
}
