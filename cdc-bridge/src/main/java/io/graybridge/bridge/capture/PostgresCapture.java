package io.graybridge.bridge.capture;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.bridge.guard.TransactionMarker;
import io.graybridge.mapping.Row;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures row changes of the mapped tables on a PostgreSQL side with the Debezium embedded engine and
 * {@code pgoutput}: an initial snapshot (backfill) from the replication slot's exported snapshot, then
 * streaming from the slot, so there is neither a gap nor a double between them.
 *
 * <p>The engine starts from the offsets stored in the target (see {@link TargetOffsetStore}); each batch
 * is acknowledged to Debezium only after the {@link BatchSink} made it durable, so the slot never moves
 * past what the target holds.
 */
public final class PostgresCapture extends TransactionCapture {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCapture.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper OFFSET_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private volatile long resumeLsn = -1;

    /** Debezium's TLS properties from the side's URL ({@link PostgresTls}), checked when the lane is built. */
    private final Map<String, String> tls;

    /**
     * @param bridgeName the bridge's name: transactions carrying its marker are echoes
     * @param engineName names the engine and namespaces its offsets: stable for a lane across restarts
     * @param source the side changes are captured on
     * @param lane the lane's settings (slot, publication, snapshot, batch size)
     * @param tables the source tables in scope (unqualified, in {@code source.schema()}), in the order the
     *     backfill reads them (Debezium snapshots tables in {@code table.include.list} order)
     * @param sink where batches go
     * @param storedOffsets the lane's offsets as stored in the target's metadata
     */
    public PostgresCapture(
            String bridgeName,
            String engineName,
            SideConfig source,
            LaneConfig lane,
            List<String> tables,
            BatchSink sink,
            Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets) {
        super(bridgeName, engineName, source, lane, tables, sink, storedOffsets,
                LoopGuard.of(io.graybridge.bridge.db.Dialect.POSTGRESQL, bridgeName, null));
        this.tls = PostgresTls.properties(source.jdbcUrl(), source.side().id());
    }

    /**
     * The stored offsets as Debezium gets them at start, and the resume point of this capture.
     *
     * <p>Every stored offset is the END of a source transaction. Resuming there is left to PostgreSQL, not
     * to Debezium's search of the WAL: the {@code lsn_proc} and {@code lsn_commit} keys are removed, so
     * Debezium asks the slot to stream from the stored commit LSN, and PostgreSQL sends, in full, every
     * transaction that commits from there on. Debezium's own search filters by change LSN, which drops
     * the early changes of a transaction that began before the stored commit and committed after it
     * ({@code ConvergenceIT} caught it). The transaction that ends exactly at the stored position comes
     * again and is dropped by {@link #committedBeforeResume}, which skips every transaction committed at or before
     * {@link #resumeLsn}.
     */
    @Override
    protected Map<ByteBuffer, ByteBuffer> resumeOffsets(Map<ByteBuffer, ByteBuffer> stored) {
        Map<ByteBuffer, ByteBuffer> out = new java.util.HashMap<>();
        long resume = -1;
        for (Map.Entry<ByteBuffer, ByteBuffer> e : stored.entrySet()) {
            if (e.getValue() == null) {
                out.put(e.getKey(), null);
                continue;
            }
            try {
                com.fasterxml.jackson.databind.node.ObjectNode offset = (com.fasterxml.jackson.databind.node.ObjectNode)
                        OFFSET_JSON.readTree(ValueDecoder.bytesOf(e.getValue().duplicate()));
                if (offset.has("lsn") && !offset.path("snapshot").asBoolean(false)
                        && "COMMIT".equals(offset.path("messageType").asText())) {
                    resume = Math.max(resume, offset.get("lsn").asLong());
                    offset.remove("lsn_proc");
                    offset.remove("lsn_commit");
                }
                out.put(e.getKey(), ByteBuffer.wrap(OFFSET_JSON.writeValueAsBytes(offset)));
            } catch (IOException ex) {
                throw new IllegalStateException("lane " + lane.name() + ": the stored offset is not readable JSON", ex);
            }
        }
        resumeLsn = resume;
        if (resume >= 0) {
            LOG.info("lane {}: resuming after the source transaction that committed at {}", lane.name(), lsnText(resume));
        }
        return out;
    }

    @Override
    protected boolean committedBeforeResume(SourceRecord end) {
        return resumeLsn >= 0 && end.sourceOffset() != null
                && end.sourceOffset().get("lsn") instanceof Number lsn && lsn.longValue() <= resumeLsn;
    }

    @Override
    protected long commitPosition(SourceRecord end) {
        return end.sourceOffset() != null && end.sourceOffset().get("lsn") instanceof Number lsn
                ? lsn.longValue() : SourcePositions.NONE;
    }

    @Override
    Properties engineProperties() {
        URI uri = URI.create(source.jdbcUrl().substring("jdbc:".length()));
        Properties p = commonProperties("io.debezium.connector.postgresql.PostgresConnector", uri, 5432);
        p.setProperty("database.dbname", uri.getPath().replaceFirst("^/", ""));
        tls.forEach(p::setProperty);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", lane.slotName());
        p.setProperty("slot.drop.on.stop", "false");
        p.setProperty("publication.name", lane.publicationName());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty(
                "table.include.list",
                tables.stream()
                        .map(t -> Pattern.quote(source.schema() + "." + t))
                        .collect(Collectors.joining(",")));
        p.setProperty("snapshot.mode", lane.snapshot() == LaneConfig.SnapshotMode.INITIAL ? "initial" : "no_data");
        p.setProperty("message.prefix.include.list", TransactionMarker.PREFIX);
        p.setProperty("interval.handling.mode", "string");
        p.setProperty("hstore.handling.mode", "json");
        // timestamp values from their own fields, not through the JVM's zone (PostgresTimestamps)
        p.setProperty("converters", "graybridgetimestamp");
        p.setProperty("graybridgetimestamp.type", PostgresTimestamps.class.getName());
        // Debezium's own check compares the stored position with the slot's and fails when the slot is ahead.
        // The slot only moves when this capture acknowledges records, which it does after their batch
        // committed on the target, so a slot ahead of the stored position is the same transaction's commit
        // record end (Debezium flushes that; the stored position is where the commit record starts), never a
        // gap; after a SIGKILL at that moment the lane could not start again. The lane checks what does mean
        // a gap instead: a stored position with its slot gone (Lane#checkSlotKeepsStoredPosition).
        p.setProperty("internal.log.position.check.enable", "false");
        return p;
    }

    @Override
    protected boolean inSourceSchema(Struct sourceInfo) {
        return true; // table.include.list names the schema; pgoutput sends nothing else
    }

    @Override
    protected String position(Struct sourceInfo) {
        Object lsn = sourceInfo.get("lsn");
        return lsn == null ? "" : lsnText(((Number) lsn).longValue());
    }

    @Override
    protected String transactionId(Struct sourceInfo) {
        Object txId = sourceInfo.get("txId");
        return txId == null ? null : txId.toString();
    }

    private static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
