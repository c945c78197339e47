package io.graybridge.bridge.capture;

import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.bridge.guard.MarkerTable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.apache.kafka.connect.data.Struct;

/**
 * Captures row changes of the mapped tables on a MariaDB or MySQL side from its binlog, with Debezium's MariaDB or
 * MySQL connector (both built on {@code debezium-connector-binlog}): a snapshot of the tables (backfill), then the
 * binlog from the position the snapshot read, so there is neither a gap nor a double between them. Transactions are
 * grouped by GTID (Debezium's {@code transaction.id}; MariaDB {@code domain-server-sequence}, MySQL {@code
 * server_uuid:N}); the loop guard's {@link MarkerTable} in the bridge's metadata database is captured with the
 * application's tables.
 *
 * <p>Debezium's schema history (the table definitions it reconstructs from the binlog) lives in the source
 * side's metadata database ({@link MetadataSchemaHistory}), so a restart on another host finds it; the
 * position lives in the target's metadata like every lane's ({@link TargetOffsetStore}).
 *
 * <p>The engines differ only in what {@link MariaDbCapture} and {@link MySqlCapture} say: the connector class, the
 * JDBC scheme and time zone settings of Debezium's own sessions, and the domain of its JMX metrics.
 */
public abstract sealed class BinlogCapture extends TransactionCapture permits MariaDbCapture, MySqlCapture {
    private final String bridgeName;
    private final String metadataSchema;
    private final String topicPrefix;
    /** Debezium's TLS properties from the side's URL ({@link BinlogTls}), checked when the lane is built. */
    private final Map<String, String> tls;

    /**
     * @param metadataSchema the bridge's metadata database on the source server (marker table, schema history)
     * @see TransactionCapture
     */
    protected BinlogCapture(
            String bridgeName,
            String engineName,
            SideConfig source,
            LaneConfig lane,
            List<String> tables,
            BatchSink sink,
            Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets,
            String metadataSchema) {
        super(bridgeName, engineName, source, lane, tables, sink, storedOffsets,
                new MarkerTable(bridgeName, metadataSchema));
        this.metadataSchema = metadataSchema;
        this.bridgeName = bridgeName;
        this.topicPrefix = engineName.replaceAll("[^A-Za-z0-9_.-]", "_");
        this.tls = BinlogTls.properties(source.jdbcUrl(), driver(), source.side().id());
    }

    /** A stored binlog position is only as good as the schema history that explains it: wait until that is written. */
    @Override
    protected void beforeStoringPosition() throws InterruptedException {
        MetadataSchemaHistory.awaitWritten(bridgeName, lane.name(), 60_000);
    }

    @Override
    Properties engineProperties() {
        URI uri = URI.create(source.jdbcUrl().substring("jdbc:".length()));
        Properties p = commonProperties(connectorClass(), uri, 3306);
        p.setProperty("database.server.id", String.valueOf(serverId(lane.slotName())));
        p.setProperty("database.include.list", Stream.of(source.schema(), metadataSchema).distinct()
                .map(Pattern::quote).collect(Collectors.joining(",")));
        p.setProperty("table.include.list", Stream.concat(
                        tables.stream().map(t -> source.schema() + "." + t),
                        Stream.of(metadataSchema + "." + MarkerTable.TABLE))
                .map(Pattern::quote)
                .collect(Collectors.joining(",")));
        p.setProperty("snapshot.mode", lane.snapshot() == LaneConfig.SnapshotMode.INITIAL ? "initial" : "no_data");
        p.setProperty("include.schema.changes", "false");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        sessionsInUtc(p);
        tls.forEach(p::setProperty);
        // a larger queue than the common one (four batches of records, not two)
        p.setProperty("max.queue.size", String.valueOf(Math.max(lane.batchSize() * 12, 8192)));
        p.setProperty("schema.history.internal", MetadataSchemaHistory.class.getName());
        p.setProperty("schema.history.internal.store.only.captured.tables.ddl", "true");
        p.setProperty(MetadataSchemaHistory.URL, jdbcScheme() + "://" + p.getProperty("database.hostname") + ":"
                + p.getProperty("database.port") + "/" + metadataSchema);
        p.setProperty(MetadataSchemaHistory.USER, source.user());
        p.setProperty(MetadataSchemaHistory.PASSWORD, source.password().reveal());
        // the history's connection takes the URL's driver parameters (TLS among them) as the bridge's own connections
        // do; as properties of their own, so Debezium's logged configuration masks the passwords among them
        UrlParameters.of(source.jdbcUrl()).forEach((name, value) ->
                p.setProperty(MetadataSchemaHistory.driverKey(name), value));
        p.setProperty(MetadataSchemaHistory.TABLE, "`" + metadataSchema + "`.`schema_history`");
        p.setProperty(MetadataSchemaHistory.BRIDGE, bridgeName);
        p.setProperty(MetadataSchemaHistory.LANE, lane.name());
        return p;
    }

    /** The Debezium connector class. */
    abstract String connectorClass();

    /** Whose parameter names and {@code sslMode} values the side's URL uses. */
    abstract BinlogTls.Driver driver();

    /** {@code jdbc:mariadb} or {@code jdbc:mysql}: the driver of the schema history's connection. */
    abstract String jdbcScheme();

    /** The first part of the domain of Debezium's JMX metrics ({@code debezium.mariadb}, {@code debezium.mysql}). */
    abstract String metricsDomain();

    /**
     * Sets the driver options that put Debezium's own sessions in UTC ({@code time_zone = '+00:00'}), so instants
     * are read as instants and date-times without zone as their wall-clock values, whatever the server's zone.
     */
    abstract void sessionsInUtc(Properties p);

    /**
     * The binlog client's server id: a replica id unique per lane, derived from the lane's slot name (unique per
     * bridge), far above the small ids servers are usually given.
     */
    static long serverId(String slotName) {
        int h = java.util.Arrays.hashCode(slotName.getBytes(StandardCharsets.UTF_8));
        return 100_000L + Math.floorMod(h, 2_000_000_000);
    }

    @Override
    protected boolean inSourceSchema(Struct sourceInfo) {
        return source.schema().equals(sourceInfo.getString("db"));
    }

    @Override
    protected long commitPosition(org.apache.kafka.connect.source.SourceRecord end) {
        Map<String, ?> offset = end.sourceOffset();
        if (offset == null || !(offset.get("file") instanceof String file) || !(offset.get("pos") instanceof Number pos)
                || file.isEmpty()) {
            return SourcePositions.NONE;
        }
        return SourcePositions.binlog(file, pos.longValue());
    }

    @Override
    protected String position(Struct sourceInfo) {
        Object file = sourceInfo.get("file");
        Object pos = sourceInfo.get("pos");
        return file == null ? "" : file + ":" + pos;
    }

    @Override
    protected String transactionId(Struct sourceInfo) {
        Object gtid = sourceInfo.schema().field("gtid") == null ? null : sourceInfo.get("gtid");
        return gtid == null ? null : gtid.toString();
    }

    /** Debezium's streaming metrics say whether the binlog reader is connected (after the snapshot). */
    @Override
    public boolean isStreaming() {
        try {
            Object connected = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(
                    metricsDomain() + ":type=connector-metrics,context=streaming,server=" + topicPrefix), "Connected");
            return Boolean.TRUE.equals(connected);
        } catch (Exception e) {
            return false; // not registered yet: the engine has not started streaming
        }
    }
}
