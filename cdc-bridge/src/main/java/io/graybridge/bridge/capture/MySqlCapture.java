package io.graybridge.bridge.capture;

import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Binlog capture of a MySQL 8 side with Debezium's MySQL connector ({@link BinlogCapture}), which connects through
 * MySQL Connector/J. The server needs GTIDs on ({@code gtid_mode=ON}, checked by {@code LiveSchemaCheck}), so each
 * transaction arrives under its {@code server_uuid:N} and a restart resumes by GTID set as well as by file position.
 */
public final class MySqlCapture extends BinlogCapture {

    /** @see BinlogCapture */
    public MySqlCapture(String bridgeName, String engineName, SideConfig source, LaneConfig lane, List<String> tables,
            BatchSink sink, Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets, String metadataSchema) {
        super(bridgeName, engineName, source, lane, tables, sink, storedOffsets, metadataSchema);
    }

    @Override
    String connectorClass() {
        return "io.debezium.connector.mysql.MySqlConnector";
    }

    @Override
    BinlogTls.Driver driver() {
        return BinlogTls.Driver.MYSQL;
    }

    @Override
    String jdbcScheme() {
        return "jdbc:mysql";
    }

    @Override
    String metricsDomain() {
        return "debezium.mysql";
    }

    /**
     * Connector/J's {@code connectionTimeZone} (Debezium's default is {@code SERVER}, the server's zone) set to UTC,
     * and forced onto the session: the driver then sends {@code SET SESSION time_zone='+00:00'}, an offset, which a
     * server without time zone tables accepts. {@code preserveInstants} (Connector/J's default) keeps a TIMESTAMP
     * the instant it is.
     */
    @Override
    void sessionsInUtc(Properties p) {
        p.setProperty("database.connectionTimeZone", "UTC");
        p.setProperty("database.forceConnectionTimeZoneToSession", "true");
        p.setProperty("database.preserveInstants", "true");
    }
}
