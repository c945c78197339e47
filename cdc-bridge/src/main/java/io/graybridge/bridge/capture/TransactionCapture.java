package io.graybridge.bridge.capture;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.Side;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * What every capture shares, whatever the engine: the Debezium embedded engine on its own thread, started from
 * the offsets stored in the target ({@link TargetOffsetStore}), with {@code provide.transaction.metadata} so
 * source transactions arrive as BEGIN, rows, END. Only whole source transactions (and snapshot rows) are handed
 * to the {@link BatchSink}, each batch with the offset of its last END, by the lane's {@link ApplyThread} (capture
 * reads on while batches of up to the lane's {@code read-ahead} row changes wait), and acknowledged to Debezium only
 * after the sink made them durable, so the source position (slot, binlog position) never moves past what the target
 * holds. A transaction carrying this bridge's {@link LoopGuard} mark is dropped as an echo.
 *
 * <p>Knowledge-only (latest-wins with both lanes on, ARCHITECTURE.md "latest-wins: the build plan"): when the queue
 * is full while the reverse lane's barrier waits for a captured position this capture has not reached ({@link
 * CaptureKnowledge#demanded}), capture reads on recording only knowledge and the captured position, drops the changes
 * and queues nothing more in this engine run; once everything queued before is applied, the engine is restarted from
 * the stored offset on a thread of its own ({@link #restart}), and reads the dropped changes again.
 *
 * <p>Engine specifics are the subclasses': {@link PostgresCapture} (pgoutput, replication slot) and {@link
 * MariaDbCapture} (binlog, GTIDs).
 */
public abstract class TransactionCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCapture.class);

    protected final String engineName;
    protected final SideConfig source;
    protected final LaneConfig lane;
    protected final LoopGuard guard;
    protected final Set<String> tables;
    private final BatchSink sink;
    private final Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets;
    private final JsonConverter offsetKeys = new JsonConverter();
    private final JsonConverter offsetValues = new JsonConverter();
    /** Longest a stretch of transactions with nothing to apply goes without storing its position. */
    static final long IDLE_STORE_MILLIS = 10_000;

    protected final String bridgeName;
    private final int maxOpenChanges;
    private final List<RecordChangeEvent<SourceRecord>> openRecords = new ArrayList<>();
    private final List<SourceChange> openChanges = new ArrayList<>();
    private final List<SourceChange> ready = new ArrayList<>();
    private final List<RecordChangeEvent<SourceRecord>> readyRecords = new ArrayList<>();
    private final Map<Map<String, ?>, Map<String, ?>> readyOffsets = new LinkedHashMap<>();
    private boolean inTransaction;
    private boolean openIsEcho;
    /** A watermark passed in this batch: store the position now, not after the idle interval. */
    private boolean watermarkSeen;
    private long echoes;
    private long lastStoredAt = System.currentTimeMillis();
    private ExecutorService executor;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    /** The current engine run's hand-over to the apply thread (knowledge-only and the restart). */
    private volatile ReadAhead run;
    /** What {@link #start} was given: told of the lane's end, never of a restart. */
    private Consumer<Throwable> onStop;
    /** Held while the engine is stopped and started again, and by {@link #close}: the two never overlap. */
    private final java.util.concurrent.locks.ReentrantLock lifecycle = new java.util.concurrent.locks.ReentrantLock();
    /** Set by {@link #close}: no restart starts an engine again, and a knowledge-only wait ends. */
    private volatile boolean closed;
    /** Knowledge-only cycles begun, to number them in the log (the lane's stats count them for metrics). */
    private final java.util.concurrent.atomic.AtomicLong knowledgeOnlyCycles = new java.util.concurrent.atomic.AtomicLong();
    private volatile ApplyThread applier;
    /** The apply thread's sequence number of the last batch handed over with snapshot rows (0: none yet). */
    private volatile long lastSnapshotBatch;
    private AutoCloseable registration;
    /** The reverse lane's writer name: its marks carry the position it delivered into this side; null: not tracked. */
    private volatile String seenFrom;
    /** The greatest delivered position of the reverse lane's marks read so far (see {@link SourceChange#seen()}). */
    private long seen = SourcePositions.NONE;
    /** {@link #seen} at the last complete transaction handed over (what a stored offset covers). */
    private long readySeen = SourcePositions.NONE;
    /** {@link #seen} as last stored with an offset: where a restarted task resumes. */
    private long storedSeen = SourcePositions.NONE;
    /** The commit position of the last complete source transaction read. */
    private long lastCommitPosition = SourcePositions.NONE;
    /** The greatest commit position read since the engine started: a transaction ending at or before it came again. */
    private long maxCommitRead = SourcePositions.NONE;
    private byte[] seenKey;
    /** Whether the lane has a stored position (from an earlier run or this one). */
    private boolean positionStored;
    /** What capture knows of its source under latest-wins with both lanes on; {@code null}: not kept. */
    private CaptureKnowledge knowledge;
    private CaptureKnowledge.Keys sourceKeys;
    private CaptureKnowledge.Store knowledgeStore;
    /** Changes {@link #preloadKnowledge} decoded from the records of the batch being handled, by record identity. */
    private final Map<SourceRecord, SourceChange> predecoded = new java.util.IdentityHashMap<>();
    /** The versions named by the reverse lane's marks in the open transaction, in log order. */
    private final List<io.graybridge.bridge.guard.MarkStamps.Stamp> openVersions = new ArrayList<>();

    /**
     * @param bridgeName the bridge's name: transactions carrying its marker are echoes
     * @param engineName names the engine and namespaces its offsets: stable for a lane across restarts
     * @param source the side changes are captured on
     * @param lane the lane's settings (slot, publication, snapshot, batch size)
     * @param tables the source tables in scope (unqualified, in {@code source.schema()}), in the order the
     *     backfill reads them (Debezium snapshots tables in {@code table.include.list} order)
     * @param sink where batches go
     * @param storedOffsets the lane's offsets as stored in the target's metadata
     * @param guard the loop guard of the source side
     */
    protected TransactionCapture(
            String bridgeName,
            String engineName,
            SideConfig source,
            LaneConfig lane,
            List<String> tables,
            BatchSink sink,
            Supplier<Map<ByteBuffer, ByteBuffer>> storedOffsets,
            LoopGuard guard) {
        this.bridgeName = bridgeName;
        this.guard = guard;
        this.engineName = engineName;
        this.source = source;
        this.lane = lane;
        this.tables = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(tables)); // backfill order
        this.sink = sink;
        this.storedOffsets = storedOffsets;
        this.maxOpenChanges = Math.max(10_000, lane.batchSize() * 10);
        offsetKeys.configure(Map.of("schemas.enable", "false"), true);
        offsetValues.configure(Map.of("schemas.enable", "false"), false);
    }

    /**
     * Starts the engine on its own thread. {@code onStop} receives {@code null} after a clean stop, or
     * the failure that stopped capture.
     */
    public void start(Consumer<Throwable> onStop) {
        lifecycle.lock();
        try {
            this.onStop = onStop;
            closed = false;
            startRun();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Starts an engine run (the lane's start or a restart); the caller holds {@link #lifecycle}. */
    private synchronized void startRun() {
        Consumer<Throwable> onStop = this.onStop;
        seenKey = offsetKeys.fromConnectData(engineName, null, Arrays.asList(engineName, Map.of("graybridge", "seen")));
        registration = TargetOffsetStore.register(engineName, () -> resumeOffsets(withoutSeen(storedOffsets.get())));
        maxCommitRead = SourcePositions.NONE; // this engine resumes from the stored offsets
        if (knowledge != null) {
            knowledge.reset(); // key_write holds the knowledge as of the stored offsets
        }
        lastSnapshotBatch = 0;
        lastCommitPosition = SourcePositions.NONE;
        echoes = 0;
        watermarkSeen = false;
        ApplyThread applyThread = new ApplyThread(lane.name(), sink, lane.readAhead(), lane.batchSize(),
                this::stopAfterApplyFailure);
        ReadAhead thisRun = new ReadAhead(lane.name(), applyThread, knowledge, this::knowledgeOnlyBegun, this::restart);
        run = thisRun;
        applier = applyThread;
        applyThread.start();
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::handleBatch)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        applyThread.taskStarted();
                        dropUnacknowledged();
                    }
                })
                .using((success, message, error) -> {
                    // a failed batch stopped the engine (or a lane closing while its batch waited ended it): report that
                    Throwable fromApply = applyThread.failure();
                    applyThread.stop();
                    if (thisRun.restarting() && fromApply == null) {
                        // stopped for a restart after knowledge-only: the lane goes on with the next run
                        LOG.debug("lane {}: engine run ended for a restart ({})", lane.name(),
                                success ? "clean" : message);
                    } else if (fromApply != null) {
                        onStop.accept(fromApply);
                    } else if (success) {
                        onStop.accept(null);
                    } else {
                        onStop.accept(error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "graybridge-capture-" + lane.name());
            t.setDaemon(true);
            return t;
        });
        executor.execute(engine);
    }

    /**
     * Tracks the positions that the reverse lane (writer {@code reverseLane}) delivered into this side, read from its
     * marks, and hands every captured application change its {@link SourceChange#seen()}; the position is stored with
     * the lane's offsets and resumed with them. Call before {@link #start}.
     */
    public void trackSeenFrom(String reverseLane) {
        this.seenFrom = reverseLane;
    }

    /**
     * Keeps {@code knowledge} of the source side (latest-wins with both lanes on, ARCHITECTURE.md "latest-wins: the
     * build plan"): the captured position, each application write's stamp (handed on in {@link SourceChange#stamp()})
     * and the versions the reverse lane's marks name, in log order; the knowledge changed since the last stored offset
     * goes with each batch that stores one ({@link CapturedBatch#knowledge()}). Keys not read since the stored offset
     * are looked up in {@code store}. Call after {@link #trackSeenFrom} and before {@link #start}.
     */
    public void keepKnowledge(CaptureKnowledge knowledge, CaptureKnowledge.Keys keys, CaptureKnowledge.Store store) {
        this.knowledge = knowledge;
        this.sourceKeys = keys;
        this.knowledgeStore = store;
    }

    /**
     * The stored offsets without the seen position this capture stores beside them (Debezium never gets it); the
     * seen position, if stored, becomes where this capture resumes.
     */
    private synchronized Map<ByteBuffer, ByteBuffer> withoutSeen(Map<ByteBuffer, ByteBuffer> stored) {
        Map<ByteBuffer, ByteBuffer> out = new java.util.HashMap<>(stored);
        ByteBuffer value = out.remove(ByteBuffer.wrap(seenKey));
        long resumed = SourcePositions.NONE;
        if (value != null) {
            try {
                resumed = seenIn(ValueDecoder.bytesOf(value.duplicate()));
            } catch (IOException e) {
                throw new IllegalStateException("lane " + lane.name() + ": the stored seen position is not readable JSON", e);
            }
        }
        seen = readySeen = storedSeen = resumed;
        positionStored = out.values().stream().anyMatch(java.util.Objects::nonNull);
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper SEEN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** The entry storing {@code position} as this lane's seen position, beside its offsets. */
    private OffsetEntry seenEntry(long position) {
        return new OffsetEntry(seenKey, ("{\"seen\":" + position + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The seen position in a stored {@code lane_offset} value as {@link #seenEntry} writes it ({@code {"seen":N}}), or
     * {@link SourcePositions#NONE} when the value is another record (one of Debezium's offsets). The one reader of that
     * format: this capture at start, and {@code KeyWritePruner} for the reverse lane's stored seen.
     *
     * @throws IOException when the value is not JSON
     */
    public static long seenIn(byte[] value) throws IOException {
        com.fasterxml.jackson.databind.JsonNode node = SEEN_JSON.readTree(value);
        return node != null && node.has("seen") && node.size() == 1
                ? node.get("seen").asLong(SourcePositions.NONE)
                : SourcePositions.NONE;
    }

    /**
     * The stored offsets as Debezium gets them at start. Every stored offset is the END of a source
     * transaction; an engine whose resume needs them adjusted (or needs to know where they point) overrides this.
     */
    protected Map<ByteBuffer, ByteBuffer> resumeOffsets(Map<ByteBuffer, ByteBuffer> stored) {
        return stored;
    }

    /**
     * Whether the transaction that {@code end} (its END record) closes was committed at or before the stored
     * position, i.e. applied before a restart and sent again by the source: it is dropped.
     */
    protected boolean committedBeforeResume(SourceRecord end) {
        return false;
    }

    /**
     * When Debezium (re)starts its task, e.g. after a retriable error, it re-delivers everything after the
     * last acknowledged record: whatever this capture still holds unacknowledged would be delivered twice.
     */
    private synchronized void dropUnacknowledged() {
        if (!openRecords.isEmpty() || !readyRecords.isEmpty()) {
            LOG.info("lane {}: capture task (re)started; dropping {} unacknowledged records, Debezium sends them again",
                    lane.name(), openRecords.size() + readyRecords.size());
        }
        openRecords.clear();
        openChanges.clear();
        openVersions.clear();
        ready.clear();
        readyRecords.clear();
        readyOffsets.clear();
        inTransaction = false;
        openIsEcho = false;
        seen = readySeen = storedSeen;
    }

    /** The Debezium engine's properties: connector, connection, tables, snapshot mode. */
    abstract Properties engineProperties();

    /**
     * Whether the engine reads the source's change stream (its snapshot, if any, is done). Engines whose
     * streaming state is read elsewhere (PostgreSQL: the slot's walsender) answer {@code false}.
     */
    public boolean isStreaming() {
        return false;
    }

    /**
     * Whether every snapshot (backfill) row capture has handed over so far is applied on the target. Capture reads
     * ahead of the apply thread, so an engine that streams may still have snapshot rows waiting to be applied: a lane
     * counts as streaming (and the backfill as done) only once they are.
     */
    public boolean snapshotApplied() {
        ApplyThread a = applier;
        return a == null || a.appliedThrough(lastSnapshotBatch);
    }

    /**
     * The engine properties every connector takes: the connector, where the source side is ({@code uri}, its
     * port or {@code defaultPort}) and as whom, offsets from the target, transaction metadata, batch sizes.
     */
    protected Properties commonProperties(String connectorClass, URI uri, int defaultPort) {
        Properties p = new Properties();
        p.setProperty("connector.class", connectorClass);
        p.setProperty("database.hostname", uri.getHost() == null ? "localhost" : uri.getHost());
        p.setProperty("database.port", String.valueOf(uri.getPort() < 0 ? defaultPort : uri.getPort()));
        p.setProperty("database.user", source.user());
        p.setProperty("database.password", source.password().reveal());
        p.setProperty("name", engineName);
        p.setProperty("offset.storage", TargetOffsetStore.class.getName());
        p.setProperty(TargetOffsetStore.LANE_PROPERTY, engineName);
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("topic.prefix", engineName.replaceAll("[^A-Za-z0-9_.-]", "_"));
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("provide.transaction.metadata", "true");
        p.setProperty("decimal.handling.mode", "precise");
        // Debezium counts BEGIN and END records toward max.batch.size: room for batch-size single-row transactions,
        // with rowsPerBatch() keeping a batch to batch-size row changes. The queue (which the connectors require to be
        // larger than a batch) holds two such batches, so the log reader keeps reading while one is applied
        p.setProperty("max.batch.size", String.valueOf(lane.batchSize() * 3));
        p.setProperty("max.queue.size", String.valueOf(Math.max(lane.batchSize() * 6, 8192)));
        p.setProperty("poll.interval.ms", String.valueOf(lane.pollIntervalMillis()));
        p.setProperty("errors.max.retries", "3");
        return p;
    }

    /**
     * Assembles source transactions from Debezium's records (BEGIN, row changes, END with
     * {@code provide.transaction.metadata}) and hands over only whole transactions with the END's
     * offset. Records of a transaction still open at the end of Debezium's batch are kept and handed
     * over with a later batch; they are acknowledged to Debezium only then, so neither the stored
     * offset nor the slot ever points inside a transaction. (PostgreSQL reports a key change as a
     * delete and a create at the same LSN: a position between them could not be resumed.)
     *
     * <p>Loop guard: a transaction carrying this bridge's {@link TransactionMarker} (written first by the
     * bridge's own writer) is an echo: all of its row changes are dropped and counted. Transactions that
     * leave nothing to apply are acknowledged only once a later batch stores a position past them (or
     * at most every {@value #IDLE_STORE_MILLIS} ms by an offset-only write), so the slot never moves
     * past the stored position.
     */
    private synchronized void handleBatch(
            List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        if (knowledge != null) {
            preloadKnowledge(records);
        }
        ReadAhead thisRun = run;
        for (RecordChangeEvent<SourceRecord> event : records) {
            if (!thisRun.readOn()) {
                predecoded.clear();
                return; // the run ends (a restart, the lane's stop or an apply failure): nothing read is acknowledged
            }
            SourceRecord record = event.record();
            openRecords.add(event);
            String status = transactionStatus(record);
            if ("BEGIN".equals(status)) {
                if (inTransaction) {
                    // a transaction begins while one is open: the open one is being delivered again
                    LOG.info("lane {}: transaction restarted in the stream; dropping {} records of the open one",
                            lane.name(), openRecords.size() - 1);
                    openRecords.subList(0, openRecords.size() - 1).clear();
                    openChanges.clear();
                    openVersions.clear();
                }
                inTransaction = true;
                openIsEcho = false;
                continue;
            }
            if (!"END".equals(status)) {
                if (isOwnMarker(record)) {
                    watermarkSeen |= isWatermark(record);
                    String from = seenFrom;
                    if (from != null) {
                        long delivered = guard.deliveredPosition(record, from);
                        if (delivered > seen && !positionStored) {
                            // nothing stored yet: a restart would not read this mark again (a MariaDB lane without an
                            // offset starts at the binlog's end), so store the position, and this seen, now
                            watermarkSeen = true;
                        }
                        seen = Math.max(seen, delivered);
                        if (knowledge != null) {
                            openVersions.addAll(guard.stamps(record, from));
                        }
                    }
                    openIsEcho = inTransaction;
                    echoes += openChanges.size(); // the marker comes first; anything before it is dropped too
                    openChanges.clear();
                    continue;
                }
                SourceChange change = null;
                if (openIsEcho) {
                    if (isChange(record)) {
                        echoes++; // dropped: counted, never decoded
                    }
                } else {
                    change = predecoded(record);
                    if (change != null) {
                        openChanges.add(change);
                    }
                }
                if (inTransaction) {
                    if (openChanges.size() >= maxOpenChanges) {
                        // an oversized transaction: apply what came so far, store no position yet
                        LOG.info("lane {}: source transaction {} has more than {} changes; applying it in chunks,"
                                + " its position is stored with the last one", lane.name(), change == null
                                        ? "?" : change.txId(), maxOpenChanges);
                        flushReady(committer, true);
                        // its commit position is not known yet: the next one after the last complete transaction
                        // compares the same way with every position (no commit lies between them)
                        List<SourceChange> chunk = withCommitPosition(openChanges, lastCommitPosition + 1);
                        handOver(new CapturedBatch(knowledge == null ? chunk : stamped(chunk),
                                List.of(), 0), List.of(), committer);
                        openChanges.clear();
                    }
                    continue;
                }
            } else {
                inTransaction = false;
                openIsEcho = false;
                if (committedBeforeResume(record)) {
                    // committed at or before the stored position: applied before the restart
                    openChanges.clear();
                    openVersions.clear();
                }
                long commit = commitPosition(record);
                if (commit != SourcePositions.NONE && commit <= maxCommitRead) {
                    // read before in this run: Debezium restarted its task after a retriable error and sends again
                    // what followed the last acknowledged record, which capture (ahead of the apply thread's
                    // acknowledgements) already holds or handed over
                    openChanges.clear();
                    openVersions.clear();
                }
                maxCommitRead = Math.max(maxCommitRead, commit);
                if (commit != SourcePositions.NONE) {
                    lastCommitPosition = commit;
                    List<SourceChange> positioned = withCommitPosition(openChanges, commit);
                    openChanges.clear();
                    openChanges.addAll(positioned);
                }
            }
            int cap = rowsPerBatch();
            if (cap > 0 && !ready.isEmpty() && ready.size() + openChanges.size() > cap) {
                // this transaction would take the batch past its row changes' cap: hand over what came before it
                flushReady(committer, false);
            }
            if (knowledge != null && "END".equals(status)) {
                // in log order: the versions its mark named (an echo), or its application writes and their stamps
                knowTransaction(commitPosition(record));
            }
            // a transaction ended, or a record outside any transaction (snapshot): a safe position
            ready.addAll(openChanges);
            readyRecords.addAll(openRecords);
            readySeen = seen;
            openChanges.clear();
            openRecords.clear();
            if (record.sourcePartition() != null && record.sourceOffset() != null) {
                readyOffsets.remove(record.sourcePartition());
                readyOffsets.put(record.sourcePartition(), record.sourceOffset());
            }
            if (cap > 0 && ready.size() >= cap) {
                flushReady(committer, false);
            }
        }
        predecoded.clear();
        flushReady(committer, watermarkSeen && !inTransaction);
        watermarkSeen = watermarkSeen && inTransaction;
        // no markBatchFinished here: the apply thread acknowledges each batch after it committed
    }

    /**
     * The most row changes one batch handed to the sink holds: the lane's batch-size. Debezium's {@code max.batch.size}
     * counts records (with BEGIN and END records a batch of single-row transactions would hold a third of it), so
     * capture asks Debezium for three times as many ({@link #commonProperties}) and caps the rows here. A batch ends at
     * a transaction boundary before a transaction that would take it past the cap; a transaction larger than the cap
     * goes whole (up to the oversized-transaction limit).
     */
    final int rowsPerBatch() {
        return lane.batchSize();
    }

    /**
     * Called before the sink gets a batch that stores a source position: an engine whose position depends on state
     * kept elsewhere (MariaDB's schema history) makes sure that state is durable first. Does nothing by default.
     */
    protected void beforeStoringPosition() throws InterruptedException {}

    /**
     * Hands the complete transactions gathered so far, with their position and records, to the apply thread, which
     * applies them through the sink and then acknowledges the records. With nothing to apply, it waits (unless {@code
     * force}) until there is, or until {@value #IDLE_STORE_MILLIS} ms passed since the last stored position.
     */
    private void flushReady(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer, boolean force)
            throws InterruptedException {
        if (readyRecords.isEmpty()) {
            return;
        }
        if (ready.isEmpty() && !force && System.currentTimeMillis() - lastStoredAt < IDLE_STORE_MILLIS) {
            if (echoes > 0) {
                // counters only, nothing written
                handOver(new CapturedBatch(List.of(), List.of(), echoes), List.of(), committer);
                echoes = 0;
            }
            return;
        }
        beforeStoringPosition();
        List<OffsetEntry> offsets = offsets(readyOffsets);
        if (seenFrom != null && !offsets.isEmpty()) {
            offsets.add(seenEntry(readySeen));
        }
        // the knowledge changed since the last stored offset is stored with this one
        List<CaptureKnowledge.Known> known = knowledge != null && !offsets.isEmpty() ? knowledge.drainChanged() : List.of();
        // applied and then acknowledged by the apply thread; this thread reads on
        boolean snapshotRows = ready.stream().anyMatch(c -> c.op() == SourceChange.Op.SNAPSHOT);
        long seq = handOver(new CapturedBatch(ready, offsets, echoes, known), readyRecords, committer);
        if (seq > 0) {
            if (knowledge != null && !offsets.isEmpty()) {
                knowledge.handedOver(seq);
            }
            if (snapshotRows) {
                lastSnapshotBatch = seq;
            }
            if (!offsets.isEmpty()) {
                storedSeen = readySeen;
                positionStored = true;
            }
        }
        lastStoredAt = System.currentTimeMillis();
        ready.clear();
        readyRecords.clear();
        readyOffsets.clear();
        echoes = 0;
    }

    /** Hands {@code batch} to this run's apply thread, or drops it (knowledge-only: {@link ReadAhead}). */
    private long handOver(CapturedBatch batch, List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        return run.handOver(batch, records, committer);
    }

    /** The run went knowledge-only, the reverse lane's barrier waiting for {@code demanded}: say so, count it. */
    private void knowledgeOnlyBegun(long demanded) {
        long cycle = knowledgeOnlyCycles.incrementAndGet();
        LOG.info("lane {}: the apply queue is full (read-ahead {} row changes) while the reverse lane waits for this"
                + " capture to pass {}; knowledge-only cycle {}: capture reads on recording knowledge and drops the"
                + " changes, and the engine restarts from the stored offset once the queued batches are applied",
                lane.name(), lane.readAhead(), SourcePositions.describe(demanded, this instanceof BinlogCapture), cycle);
        sink.knowledgeOnly();
    }

    /**
     * Restarts the engine after {@code thisRun} went knowledge-only and its apply thread applied (and acknowledged)
     * everything queued before: stops the run (Debezium commits only acknowledged offsets at stop, so the source keeps
     * every dropped change), then starts a new one from the stored offset, which resets the knowledge to {@code
     * key_write} ({@link #startRun}). The lane goes on running; its stop during the restart ends it as a clean stop.
     * Runs on a thread of its own ({@link ReadAhead}): closing an engine from its handler thread deadlocks.
     */
    private void restart(ReadAhead thisRun) {
        lifecycle.lock();
        try {
            if (closed || run != thisRun) {
                return; // the lane stops: close() ends the run
            }
            LOG.info("lane {}: knowledge-only cycle {}: every batch queued before it is applied; restarting the"
                    + " capture engine from the stored offset", lane.name(), knowledgeOnlyCycles.get());
            thisRun.endForRestart();
            ApplyThread ended = applier;
            stopRun();
            if (ended != null && ended.failure() != null) {
                return; // a batch failed meanwhile: the engine's end reported it, the lane failed
            }
            sink.restarting();
            if (closed) {
                onStop.accept(null); // close() came during the restart: a clean stop
                return;
            }
            startRun();
        } catch (RuntimeException e) {
            LOG.error("lane {}: restarting the capture engine after knowledge-only failed", lane.name(), e);
            onStop.accept(e);
        } finally {
            lifecycle.unlock();
        }
    }

    private List<OffsetEntry> offsets(Map<Map<String, ?>, Map<String, ?>> newest) {
        List<OffsetEntry> out = new ArrayList<>(newest.size());
        newest.forEach((partition, offset) -> out.add(encode(partition, offset)));
        return out;
    }

    /**
     * Reads the stored knowledge of the keys this Debezium batch's application writes touch and memory does not hold
     * (one lookup per batch), after forgetting what applied batches stored: stamps are computed from it in log order.
     */
    private void preloadKnowledge(List<RecordChangeEvent<SourceRecord>> records) {
        ApplyThread a = applier;
        if (a != null) {
            knowledge.forgetStored(a::appliedThrough);
        }
        java.util.Set<ByteBuffer> missing = new java.util.LinkedHashSet<>();
        // the rows of an echo (the bridge's own transaction, its marker first) are dropped below: nothing to look up
        boolean echo = openIsEcho;
        for (RecordChangeEvent<SourceRecord> event : records) {
            SourceRecord record = event.record();
            String status = transactionStatus(record);
            if (status != null) {
                echo = false;
                continue;
            }
            if (isOwnMarker(record)) {
                echo = true;
                continue;
            }
            if (echo) {
                continue;
            }
            SourceChange change = decode(record);
            if (change == null) {
                continue;
            }
            predecoded.put(record, change); // taken below, with the seen position of its place
            if (change.op() == SourceChange.Op.SNAPSHOT) {
                continue;
            }
            for (Row row : java.util.Arrays.asList(change.before(), change.after())) {
                String key = row == null ? null : sourceKeys.keyText(change.table(), row);
                if (key != null) {
                    ByteBuffer hash = sourceKeys.hash(change.table(), key);
                    if (!knowledge.inMemory(hash)) {
                        missing.add(hash);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            knowledge.preload(knowledgeStore.load(missing));
        }
    }

    /**
     * Records a complete transaction, committed at {@code commit}, in the knowledge: the versions the reverse lane's
     * marks named, then each application write with its stamp (handed on in the open changes); then the captured
     * position.
     */
    private void knowTransaction(long commit) {
        Side other = source.side().other();
        for (io.graybridge.bridge.guard.MarkStamps.Stamp v : openVersions) {
            knowledge.version(ByteBuffer.wrap(v.hash()), v.stamp(), other);
        }
        openVersions.clear();
        if (!openChanges.isEmpty()) {
            List<SourceChange> out = stamped(openChanges);
            openChanges.clear();
            openChanges.addAll(out);
        }
        if (commit != SourcePositions.NONE) {
            knowledge.captured(commit);
        }
    }

    /**
     * {@code changes} with their stamps, recorded in the knowledge in order: a change of a row's key records a
     * tombstone of the old key first; a change's stamp is its own key's (the new key's; a delete's, the old one's).
     */
    private List<SourceChange> stamped(List<SourceChange> changes) {
        List<SourceChange> out = new ArrayList<>(changes.size());
        for (SourceChange c : changes) {
            if (c.op() == SourceChange.Op.SNAPSHOT) {
                out.add(c);
                continue;
            }
            String beforeKey = c.before() == null ? null : sourceKeys.keyText(c.table(), c.before());
            String afterKey = c.after() == null ? null : sourceKeys.keyText(c.table(), c.after());
            Instant stamp = null;
            if (beforeKey != null && !beforeKey.equals(afterKey)) {
                stamp = knowledge.write(sourceKeys.hash(c.table(), beforeKey), c.table(), beforeKey,
                        c.commitPosition(), true, c.commitTime());
            }
            if (afterKey != null) {
                stamp = knowledge.write(sourceKeys.hash(c.table(), afterKey), c.table(), afterKey,
                        c.commitPosition(), false, c.commitTime());
            }
            out.add(stamp == null ? c : c.withStamp(stamp));
        }
        return out;
    }

    private static List<SourceChange> withCommitPosition(List<SourceChange> changes, long position) {
        List<SourceChange> out = new ArrayList<>(changes.size());
        for (SourceChange c : changes) {
            out.add(c.withCommitPosition(position));
        }
        return out;
    }

    private boolean isWatermark(SourceRecord record) {
        return guard.isWatermark(record);
    }

    private boolean isOwnMarker(SourceRecord record) {
        return guard.isOwnMarker(record);
    }

    /** {@code BEGIN} or {@code END} for Debezium's transaction boundary records, otherwise {@code null}. */
    private static String transactionStatus(SourceRecord record) {
        if (record.value() instanceof Struct value
                && value.schema().field("status") != null
                && value.schema().field("event_count") != null) {
            return value.getString("status");
        }
        return null;
    }

    /** The same bytes Kafka Connect's {@code OffsetStorageWriter} would write for this engine. */
    private OffsetEntry encode(Map<String, ?> partition, Map<String, ?> offset) {
        byte[] key = offsetKeys.fromConnectData(engineName, null, Arrays.asList(engineName, partition));
        byte[] value = offsetValues.fromConnectData(engineName, null, offset);
        return new OffsetEntry(key, value);
    }

    /**
     * The change {@link #preloadKnowledge} decoded from {@code record} (once per record: decoding is a good part of
     * capture's work), with the seen position of its place in the stream; decoded now if it was not.
     */
    private SourceChange predecoded(SourceRecord record) {
        SourceChange change = predecoded.remove(record);
        if (change == null) {
            return decode(record);
        }
        return seenFrom == null || change.op() == SourceChange.Op.SNAPSHOT ? change : change.withSeen(seen);
    }

    /**
     * Whether {@link #decode} would make a change of {@code record}, without decoding its rows: how an echo's row
     * changes are counted.
     */
    private boolean isChange(SourceRecord record) {
        Struct value = mappedEnvelope(record);
        if (value == null) {
            return false;
        }
        String op = value.getString("op");
        return "r".equals(op) || "c".equals(op) || "u".equals(op) || "d".equals(op);
    }

    /** {@code record}'s value if it is a row change envelope of a mapped table of the side's schema, else null. */
    private Struct mappedEnvelope(SourceRecord record) {
        if (!(record.value() instanceof Struct value)
                || value.schema().name() == null
                || !value.schema().name().endsWith(".Envelope")) {
            return null;
        }
        Struct sourceInfo = value.getStruct("source");
        return tables.contains(sourceInfo.getString("table")) && inSourceSchema(sourceInfo) ? value : null;
    }

    private SourceChange decode(SourceRecord record) {
        Struct value = mappedEnvelope(record);
        if (value == null) {
            return null;
        }
        Struct sourceInfo = value.getStruct("source");
        String table = sourceInfo.getString("table");
        SourceChange.Op op;
        switch (value.getString("op")) {
            case "r":
                op = SourceChange.Op.SNAPSHOT;
                break;
            case "c":
                op = SourceChange.Op.INSERT;
                break;
            case "u":
                op = SourceChange.Op.UPDATE;
                break;
            case "d":
                op = SourceChange.Op.DELETE;
                break;
            default:
                LOG.debug("lane {}: skipping '{}' event on {}", lane.name(), value.getString("op"), table);
                return null;
        }
        Row before = row(value.getStruct("before"));
        Row after = row(value.getStruct("after"));
        if (after != null && before != null) {
            after = fillUnavailable(after, before);
        } else if (after != null) {
            after = dropUnavailable(after);
        }
        String txId = op == SourceChange.Op.SNAPSHOT ? null : transactionId(sourceInfo);
        Long tsMs = sourceInfo.getInt64("ts_ms");
        return new SourceChange(
                source.side(),
                table,
                op,
                before,
                after,
                position(sourceInfo),
                txId,
                tsMs == null ? Instant.now() : Instant.ofEpochMilli(tsMs),
                SourcePositions.NONE,
                seenFrom == null || op == SourceChange.Op.SNAPSHOT ? SourcePositions.UNKNOWN : seen);
    }

    /** Whether a change's {@code source} block names the side's schema (on MariaDB: its database). */
    protected abstract boolean inSourceSchema(Struct sourceInfo);

    /**
     * The commit position of the transaction whose END record is {@code end}, in commit order ({@link
     * SourcePositions}), or {@link SourcePositions#NONE} when its offset holds none.
     */
    protected abstract long commitPosition(SourceRecord end);

    /** The readable source position of a change (PostgreSQL LSN, MariaDB binlog file and position). */
    protected abstract String position(Struct sourceInfo);

    /** The source transaction id of a streamed change (PostgreSQL txid, MariaDB GTID), or {@code null}. */
    protected abstract String transactionId(Struct sourceInfo);

    private static Row row(Struct struct) {
        if (struct == null) {
            return null;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            values.put(field.name(), ValueDecoder.decode(field.schema(), struct.get(field)));
        }
        return Row.of(values);
    }

    /** An unchanged TOASTed value arrives as a placeholder: take it from the full before image. */
    private static Row fillUnavailable(Row after, Row before) {
        Row out = after;
        for (String column : after.columns()) {
            if (ValueDecoder.isUnavailable(after.get(column))) {
                out = before.has(column) && !ValueDecoder.isUnavailable(before.get(column))
                        ? out.with(column, before.get(column))
                        : out.without(column);
            }
        }
        return out;
    }

    /** Never write a placeholder: a column without its value is left out, so the target keeps its own. */
    private static Row dropUnavailable(Row after) {
        Row out = after;
        for (String column : after.columns()) {
            if (ValueDecoder.isUnavailable(after.get(column))) {
                out = out.without(column);
            }
        }
        return out;
    }

    /**
     * Called on the apply thread when a batch failed: stops the engine from a thread of its own (closing it waits for
     * the engine's end, whose callback waits for the apply thread), so the lane reports the failure even when the
     * source is quiet and capture hands nothing over.
     */
    private void stopAfterApplyFailure() {
        Thread t = new Thread(() -> closeEngine(engine), "graybridge-apply-stop-" + lane.name());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Closes {@code engine} (if any). Debezium refuses while its tasks are starting (they open connections then), so a
     * lane closed right after it started waits for that, up to 60 s, instead of leaving the engine running after close;
     * an engine already stopping (a failed batch stopped it) or stopped is left to finish.
     */
    private void closeEngine(DebeziumEngine<RecordChangeEvent<SourceRecord>> engine) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (engine != null) {
            try {
                engine.close();
                return;
            } catch (IOException e) {
                LOG.warn("lane {}: closing the capture engine failed: {}", lane.name(), e.toString());
                return;
            } catch (IllegalStateException e) {
                boolean starting = String.valueOf(e.getMessage()).contains("tasks are starting");
                if (!starting || System.currentTimeMillis() > deadline) {
                    LOG.debug("lane {}: capture engine not closed: {}", lane.name(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops the engine and waits for it; the source's position (slot, binlog) stays for the next start.
     *
     * <p>Not {@code synchronized}: stopping waits for the batch the engine is handing over, and that batch needs this
     * capture's monitor ({@link #handleBatch}); holding it here stalled every stop of a busy lane until Debezium's
     * and this method's timeouts ran out, and left the engine's metrics registered, so a lane started again in the
     * same JVM could not start its task.
     */
    @Override
    public void close() {
        closed = true; // a restart not begun yet does not begin
        ReadAhead current = run;
        if (current != null) {
            current.end(); // a knowledge-only wait in the handler ends
        }
        lifecycle.lock();
        try {
            stopRun();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Stops the current engine run and its apply thread; the caller holds {@link #lifecycle}. */
    private void stopRun() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
        ExecutorService executor;
        AutoCloseable registration;
        synchronized (this) {
            engine = this.engine;
            executor = this.executor;
            registration = this.registration;
        }
        try {
            closeEngine(engine);
        } finally {
            if (executor != null) {
                executor.shutdown();
                try {
                    if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                        LOG.warn("lane {}: capture did not stop within 30 s", lane.name());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ApplyThread applyThread = applier;
            if (applyThread != null) {
                applyThread.stop(); // normally stopped already, when the engine reported its end
            }
            if (registration != null) {
                try {
                    registration.close();
                } catch (Exception e) {
                    LOG.debug("unregistering offsets of {} failed", engineName, e);
                }
            }
        }
    }
}
