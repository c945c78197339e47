package io.graybridge.bridge.capture;

import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/** Binlog capture of a MariaDB side with Debezium's MariaDB connector ({@link BinlogCapture}). */
public final class MariaDbCapture extends BinlogCapture {

    /** @see BinlogCapture */
    public MariaDbCapture(String bridgeName, String engineName, SideConfig source, LaneConfig lane, List<String> tables,
            BatchSink sink, Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets, String metadataSchema) {
        super(bridgeName, engineName, source, lane, tables, sink, storedOffsets, metadataSchema);
    }

    @Override
    String connectorClass() {
        return "io.debezium.connector.mariadb.MariaDbConnector";
    }

    @Override
    BinlogTls.Driver driver() {
        return BinlogTls.Driver.MARIADB;
    }

    @Override
    String jdbcScheme() {
        return "jdbc:mariadb";
    }

    @Override
    String metricsDomain() {
        return "debezium.mariadb";
    }

    /**
     * MariaDB Connector/J's {@code timezone}: Debezium's default sets the JVM's zone by name, which a server without
     * time zone tables refuses ("Setting configured timezone 'auto' fail on server").
     */
    @Override
    void sessionsInUtc(Properties p) {
        p.setProperty("database.timezone", "UTC");
        p.setProperty("database.preserveInstants", "true");
    }
}
