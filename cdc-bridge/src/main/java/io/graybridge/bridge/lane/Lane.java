package io.graybridge.bridge.lane;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.apply.TargetWriter;
import io.graybridge.bridge.capture.BatchSink;
import io.graybridge.bridge.capture.CapturedBatch;
import io.graybridge.bridge.capture.MariaDbCapture;
import io.graybridge.bridge.capture.PostgresCapture;
import io.graybridge.bridge.capture.TransactionCapture;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.bridge.deadletter.DeadLetter;
import io.graybridge.bridge.deadletter.DeadLetterRouter;
import io.graybridge.bridge.deadletter.DeadLetterStore;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.MappingException;
import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of sync: capture on the source side, map, apply on the target side. The lane's source
 * position lives in the target's metadata and commits with the rows it covers.
 */
public final class Lane implements BatchSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

    /** Where a lane stands. */
    public enum State {
        CREATED,
        RUNNING,
        STOPPED,
        FAILED
    }

    private final BridgeConfig config;
    private final LaneConfig laneConfig;
    private final Direction direction;
    private final SideDatabase source;
    private final Map<String, SourceTableMapping> translators = new HashMap<>();
    private final Map<String, TableInfo> sourceTables;
    private final io.graybridge.bridge.capture.ZeroDates zeroDates;
    private final Map<String, String> mappingByV2Table = new HashMap<>();
    private volatile io.graybridge.reconcile.live.ContinuousVerifier verifier;
    private final TargetWriter writer;
    private final DeadLetterStore deadLetters;
    private final DeadLetterRouter<TargetChange> router;
    private final io.graybridge.bridge.deadletter.DeadLetterAudit letterAudit;
    private final io.graybridge.bridge.audit.Outbox letterOutbox;
    private final TransactionCapture capture;
    private final LaneStats stats = new LaneStats();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile State state = State.CREATED;
    private volatile Throwable failure;
    /** Set by {@link #close}: a batch that the stop interrupts (at the barrier) is not a failure of the lane. */
    private volatile boolean closing;
    private Pending pending = new Pending();
    /** The commit position of the last complete source transaction this lane delivered (its markers carry it). */
    private long delivered = io.graybridge.bridge.capture.SourcePositions.NONE;
    /**
     * Whether the delete-convergence rules run: both lanes enabled and a policy that names a fixed winner. Then the
     * lane records its source side's application writes per key ({@code key_write}) with each batch.
     */
    private final boolean convergenceRules;
    private final io.graybridge.bridge.apply.ConvergenceBarrier barrier;
    /** Deletes this lane's {@code key_write} rows that can no longer make a conflict, between batches. */
    private final io.graybridge.bridge.apply.KeyWritePruner pruner;
    /**
     * What capture knows of this lane's source under latest-wins with both lanes on (stamps, versions, the captured
     * position), stored in {@code key_write} with each offset; {@code null} otherwise.
     */
    private final io.graybridge.bridge.capture.CaptureKnowledge knowledge;

    /**
     * @param sourceTables the source side's tables, inspected at start, keyed by name
     * @param targetTables the target side's tables, inspected at start, keyed by name
     * @param resolver the conflict policy
     * @param phase the release phase (for phase-aware conflict policies)
     */
    public Lane(
            BridgeConfig config,
            Direction direction,
            SideDatabase source,
            SideDatabase target,
            Map<String, TableInfo> sourceTables,
            Map<String, TableInfo> targetTables,
            ConflictResolver resolver,
            Supplier<String> phase) {
        this.config = config;
        this.laneConfig = config.lane(direction);
        this.direction = direction;
        this.source = source;
        this.sourceTables = Map.copyOf(sourceTables);
        Map<String, List<TableMapping>> bySource = new LinkedHashMap<>();
        for (TableMapping m : config.tables()) {
            bySource.computeIfAbsent(m.table(direction.source()), t -> new ArrayList<>()).add(m);
            mappingByV2Table.put(m.v2Table(), m.name());
        }
        bySource.forEach((table, mappings) -> translators.put(table, SourceTableMapping.of(mappings, direction, targetTables, target.dialect())));
        this.writer = new TargetWriter(target, config.metadataSchema(), config.name(), direction, targetTables,
                resolver, phase, config.audit());
        this.deadLetters = new DeadLetterStore(target, config.metadataSchema(), config.name(), direction);
        this.router = new DeadLetterRouter<>(name(), laneConfig.deadLetters(), this::sourceKey);
        this.zeroDates = new io.graybridge.bridge.capture.ZeroDates(source, this.sourceTables);
        this.letterAudit = config.audit().enabled()
                ? new io.graybridge.bridge.deadletter.DeadLetterAudit(config.name(), name(),
                        io.graybridge.bridge.audit.ColumnMasker.of(config.audit()), table -> {
                            TableInfo t = this.sourceTables.get(table);
                            return t == null ? List.of() : t.primaryKey();
                        })
                : null;
        this.letterOutbox = config.audit().enabled()
                ? new io.graybridge.bridge.audit.Outbox(target, config.metadataSchema(), config.name())
                : null;
        this.capture = switch (source.dialect()) {
            case MARIADB -> new MariaDbCapture(config.name(), config.name() + "-" + name(), source.config(), laneConfig,
                    captureOrder(bySource, direction), this, writer::storedOffsets, config.metadataSchema());
            case MYSQL -> new io.graybridge.bridge.capture.MySqlCapture(config.name(), config.name() + "-" + name(),
                    source.config(), laneConfig, captureOrder(bySource, direction), this, writer::storedOffsets,
                    config.metadataSchema());
            case POSTGRESQL -> new PostgresCapture(config.name(), config.name() + "-" + name(), source.config(),
                    laneConfig, captureOrder(bySource, direction), this, writer::storedOffsets);
        };
        LaneConfig reverse = config.lane(direction.reverse());
        boolean twoWay = laneConfig.enabled() && reverse != null && reverse.enabled();
        this.convergenceRules = twoWay && resolver.fixedWinner("dual").isPresent();
        boolean latestWinsTwoWay = twoWay && LATEST_WINS.equals(resolver.name());
        if (convergenceRules || latestWinsTwoWay) {
            this.barrier = new io.graybridge.bridge.apply.ConvergenceBarrier(source, target, config.metadataSchema(),
                    config.name(), name(), direction.reverse().laneName(), stats::waitingFor);
            barrier.onWaited(stats::recordBarrierWait);
            writer.onKeyNotHeld(stats::recordKeyNotHeld);
            writer.useBarrier(barrier);
            // under latest-wins rows carry versions that may still raise a stamp: pruned only once old enough
            this.pruner = new io.graybridge.bridge.apply.KeyWritePruner(source, target, config.metadataSchema(),
                    config.name(), name(), direction.reverse().laneName(),
                    io.graybridge.bridge.apply.KeyWritePruner.SWEEP_PAUSE_MILLIS, latestWinsTwoWay);
        } else {
            this.barrier = null;
            this.pruner = null;
        }
        if (reverse != null && reverse.enabled()) {
            // the reverse lane's marks on this lane's source say how far it delivered: each captured change's `seen`
            capture.trackSeenFrom(direction.reverse().laneName());
        }
        if (latestWinsTwoWay) {
            // two-way latest-wins: stamps, versions in marks and key_write (step 2 of its build plan); decided by the
            // stamps after a barrier on the reverse lane's captured position (steps 3 and 4), on both lanes
            writer.decideByStamps();
            this.knowledge = new io.graybridge.bridge.capture.CaptureKnowledge(direction.source());
            capture.keepKnowledge(knowledge, new io.graybridge.bridge.capture.CaptureKnowledge.Keys() {
                @Override
                public String keyText(String table, Row row) {
                    TableInfo t = Lane.this.sourceTables.get(table);
                    return t == null || t.primaryKey().isEmpty() ? null
                            : io.graybridge.bridge.apply.KeyText.of(t.primaryKey(), row);
                }

                @Override
                public java.nio.ByteBuffer hash(String table, String keyText) {
                    return java.nio.ByteBuffer.wrap(io.graybridge.bridge.apply.KeyText.hash(table, keyText));
                }
            }, writer::storedKnowledge);
            writer.markVersions();
        } else {
            this.knowledge = null;
        }
    }

    private static final String LATEST_WINS = "latest-wins";

    /**
     * What this lane's capture knows of its source (latest-wins with both lanes on), for the reverse lane's barrier;
     * {@code null} otherwise.
     */
    public io.graybridge.bridge.capture.CaptureKnowledge knowledge() {
        return knowledge;
    }

    /**
     * Two-way latest-wins: the reverse lane's capture knowledge, which this lane's barrier waits on ({@link Bridge}
     * wires both lanes, which must run in one process).
     */
    void useReverseKnowledge(io.graybridge.bridge.capture.CaptureKnowledge reverse) {
        if (knowledge != null && reverse != null) {
            barrier.useReverseKnowledge(reverse);
        }
    }

    public String name() {
        return direction.laneName();
    }

    /**
     * The source tables in the order the backfill reads them: as configured, except that the parts of a
     * merge (several source tables, one target table) come in part order, the part that owns deletes first.
     * Its snapshot rows create the target rows (with the target's NOT NULL columns); the other parts' rows
     * then fill in their columns instead of creating rows with only those.
     */
    static List<String> captureOrder(Map<String, List<TableMapping>> bySource, Direction direction) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<TableMapping>> e : bySource.entrySet()) {
            io.graybridge.mapping.MappingSet.group(e.getValue().get(0))
                    .filter(g -> g.partsSide() == direction.source())
                    .ifPresentOrElse(g -> g.partTables().stream().filter(bySource::containsKey)
                            .filter(t -> !out.contains(t)).forEach(out::add), () -> {
                                if (!out.contains(e.getKey())) {
                                    out.add(e.getKey());
                                }
                            });
        }
        return out;
    }

    /** Hands every key this lane applies (after its commit) to {@code verifier}; snapshot rows are not verified. */
    public void verifyWith(io.graybridge.reconcile.live.ContinuousVerifier verifier) {
        this.verifier = verifier;
    }

    public Direction direction() {
        return direction;
    }

    public LaneStats stats() {
        return stats;
    }

    public State state() {
        return state;
    }

    /** Why the lane failed, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    public void start() {
        if (source.dialect().mysqlFamily()) {
            LOG.info("lane {}: starting binlog capture on {} (snapshot {})", name(), source.config().describe(),
                    laneConfig.snapshot().name().toLowerCase(java.util.Locale.ROOT));
        } else {
            LOG.info("lane {}: starting capture on {} (slot {}, publication {}, snapshot {})", name(),
                    source.config().describe(), laneConfig.slotName(), laneConfig.publicationName(),
                    laneConfig.snapshot().name().toLowerCase(java.util.Locale.ROOT));
            checkSlotKeepsStoredPosition();
        }
        if (knowledge != null && !barrier.knowsReverseCapture()) {
            throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.CONFIG_INVALID, "lane "
                    + name() + ": conflict policy latest-wins with both lanes on decides each change only once the"
                    + " reverse lane " + direction.reverse().laneName() + "'s capture has read its target up to the"
                    + " batch, so both lanes must run in one process, and lane " + direction.reverse().laneName()
                    + " does not run in this one. Enable both lanes in the config and start them with one 'graybridge"
                    + " run', or use v1-wins, v2-wins or primary-wins.");
        }
        state = State.RUNNING;
        if (barrier != null) {
            barrier.clearStoredWait(); // a process killed while this lane waited left its wait stored
        }
        router.paused(deadLetters.pausedTables());
        router.paused().forEach((table, error) -> LOG.warn("lane {}: table {} is paused by a dead letter ({}); its"
                + " changes are held until 'graybridge deadletters retry' applies them", name(), table, error));
        if (source.dialect() == Dialect.POSTGRESQL) {
            releaseStaleSlot();
        }
        capture.start(error -> {
            if (error != null && closing && interrupted(error)) {
                // close() ended a batch that was waiting (at the barrier): it rolled back with its position and is
                // delivered again at the next start, a clean stop
                LOG.info("lane {}: stopped while a batch was waiting ({}); it rolled back and is applied at the next"
                        + " start", name(), rootMessage(error));
                if (state != State.FAILED) {
                    state = State.STOPPED;
                }
            } else if (error != null) {
                failure = error;
                state = State.FAILED;
                LOG.error("lane {} stopped: {}", name(), rootMessage(error));
            } else if (state != State.FAILED) {
                state = State.STOPPED;
            }
            stopped.countDown();
        });
    }

    /**
     * Whether the lane's capture streams from its replication slot ({@link
     * io.graybridge.bridge.db.ReplicationSlots#STREAMING}) and the snapshot rows it handed over are applied. A change
     * committed on the source before the slot existed is not captured (snapshot rows aside).
     */
    public boolean isStreaming() {
        if (!capture.snapshotApplied()) {
            return false; // capture reads ahead of apply: backfill rows still wait to be applied
        }
        if (source.dialect().mysqlFamily()) {
            return state == State.RUNNING && capture.isStreaming();
        }
        return state == State.RUNNING && source.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_replication_slots s WHERE s.slot_name = :slot AND "
                                + io.graybridge.bridge.db.ReplicationSlots.STREAMING)
                .bind("slot", laneConfig.slotName())
                .mapTo(Integer.class)
                .one()) > 0;
    }

    /**
     * A stored position is only good with the slot that produced it: if the slot is gone (dropped by hand,
     * a server rebuilt from a backup, a failover to a replica without slots), capture would create a new
     * one that starts now, and every change since the stored position would be skipped silently.
     *
     * @throws GrayBridgeException naming the slot and what to do
     */
    private void checkSlotKeepsStoredPosition() {
        if (writer.storedOffsets().isEmpty()) {
            return;
        }
        boolean slotExists = source.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot")
                .bind("slot", laneConfig.slotName())
                .mapTo(Integer.class)
                .one()) > 0;
        if (!slotExists) {
            throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.CAPTURE_FAILED,
                    "lane " + name() + ": replication slot '" + laneConfig.slotName() + "' on " + source.config().describe()
                            + " is gone, but the lane has a stored position on the target: the changes made since"
                            + " then cannot be captured any more. Nothing was started. Compare and repair the sides"
                            + " (graybridge drift, graybridge repair), then clear the lane's position (DELETE FROM "
                            + config.metadataSchema() + ".lane_offset WHERE bridge = '" + config.name() + "' AND lane = '"
                            + name() + "' on the target) and start again: the slot is created anew.");
        }
    }

    /**
     * A bridge process killed with SIGKILL leaves its walsender holding the slot until PostgreSQL notices
     * the dead connection (up to {@code wal_sender_timeout}); the new process's capture would wait on it.
     * One instance runs per bridge, so a slot that is still active at start belongs to a dead instance
     * (or to a second instance started by mistake, which then stops): end that session.
     */
    private void releaseStaleSlot() {
        source.withHandle(h -> h.createQuery("SELECT active_pid FROM pg_replication_slots"
                        + " WHERE slot_name = :slot AND active AND active_pid IS NOT NULL")
                .bind("slot", laneConfig.slotName())
                .mapTo(Integer.class)
                .findOne())
                .ifPresent(pid -> {
                    LOG.warn("lane {}: replication slot {} is still held by server process {} (a bridge instance"
                            + " that died, or a second instance of this bridge); ending that session so this"
                            + " instance can take over", name(), laneConfig.slotName(), pid);
                    source.withHandle(h -> h.createQuery("SELECT pg_terminate_backend(:pid)")
                            .bind("pid", pid)
                            .mapTo(Boolean.class)
                            .one());
                });
    }

    @Override
    public void accept(CapturedBatch batch) throws InterruptedException {
        List<TargetChange> out = new ArrayList<>(batch.changes().size() + 4);
        List<DeadLetter> letters = new ArrayList<>();
        String lastPosition = null;
        if (!router.paused().isEmpty()) {
            router.paused(deadLetters.pausedTables()); // `deadletters retry` may have unpaused a table
        }
        long batchDelivered = delivered;
        for (SourceChange change : batch.changes()) {
            lastPosition = change.position();
            if (batch.endsAtCommit()) {
                batchDelivered = Math.max(batchDelivered, change.commitPosition());
            }
            DeadLetterRouter.Routed<TargetChange> routed = router.route(change, c -> {
                zeroDates.check(c); // a MariaDB zero date is a dead letter, never a NULL written silently
                return translators.get(c.table()).translate(c);
            });
            if (routed.isDeadLetter()) {
                letters.add(routed.letter());
                if (routed.letter().reason() == DeadLetter.Reason.FAILED) {
                    LOG.error("lane {}: {} of {} {} at {} cannot be mapped and is kept as a dead letter; {}: {}", name(),
                            change.op(), change.table(), routed.letter().key(), change.position(),
                            routed.letter().policy() == io.graybridge.bridge.deadletter.DeadLetterPolicy.Action.PAUSE
                                    ? "the table is paused (its later changes are held in order); fix the mapping,"
                                            + " then run 'graybridge deadletters retry'"
                                    : "skipped (policy skip); 'graybridge deadletters list' shows it",
                            routed.letter().error());
                }
                continue;
            }
            out.addAll(routed.mapped());
            if (change.op() == SourceChange.Op.SNAPSHOT) {
                pending.snapshotRows++;
            } else {
                pending.streamed++;
                pending.newestCommit = change.commitTime();
            }
        }
        pending.echoes += batch.echoesSuppressed();
        stats.recordEchoes(batch.echoesSuppressed());
        if (out.isEmpty() && letters.isEmpty() && batch.offsets().isEmpty()) {
            return;
        }
        // counters commit with the position: a chunk of an unfinished source transaction adds to them only
        // when the transaction's last chunk commits, so a replay after a crash does not count twice
        TargetWriter.Progress progress = batch.endsAtCommit()
                ? new TargetWriter.Progress(pending.snapshotRows, pending.streamed, lastPosition, pending.newestCommit,
                        pending.echoes)
                : null;
        TargetWriter.Outcome outcome = writer.apply(out, c -> {
            deadLetters.insert(c, letters);
            if (letterAudit != null && !letters.isEmpty()) {
                letterOutbox.append(c, letterAudit.events(letters)); // audited with the dead letters themselves
            }
        }, batch.offsets(), progress, new io.graybridge.bridge.apply.BatchKnowledge(batchDelivered,
                knowledge != null ? knownWrites(batch.knowledge())
                        : convergenceRules ? keyWrites(batch.changes()) : List.of()));
        delivered = batchDelivered;
        queueForVerification(batch.changes(), out);
        long now = System.currentTimeMillis();
        long[] lags = new long[batch.changes().size()];
        int n = 0;
        for (SourceChange change : batch.changes()) {
            if (change.op() != SourceChange.Op.SNAPSHOT) {
                lags[n++] = Math.max(0, now - change.commitTime().toEpochMilli());
            }
        }
        stats.recordConflicts(outcome.incomingWon(), outcome.currentKept());
        stats.recordDeadLetters(letters.size());
        if (progress != null) {
            stats.recordBatch(pending.snapshotRows, pending.streamed, pending.newestCommit, lags, n);
            pending = new Pending();
        } else {
            stats.recordBatch(0, 0, null, lags, n);
        }
        if (pruner != null) {
            stats.recordKeyWritesPruned(pruner.maybeStep()); // bounded: one chunk, at most every 200 ms
        }
    }

    @Override
    public void knowledgeOnly() {
        stats.recordKnowledgeOnly();
    }

    @Override
    public void restarting() {
        pending = new Pending(); // applied without a stored position: captured and counted again after the restart
        stats.recordEngineRestart();
    }

    /**
     * The source side's application writes in {@code changes}, the last per source table and key: a delete (or the
     * old key of a key change) as a tombstone. Snapshot rows are not application writes of the time they are read.
     */
    private List<io.graybridge.bridge.apply.KeyWrite> keyWrites(List<SourceChange> changes) {
        Map<String, io.graybridge.bridge.apply.KeyWrite> last = new LinkedHashMap<>();
        for (SourceChange change : changes) {
            TableInfo table = sourceTables.get(change.table());
            if (change.op() == SourceChange.Op.SNAPSHOT || table == null || table.primaryKey().isEmpty()) {
                continue;
            }
            String afterKey = change.after() == null ? null
                    : io.graybridge.bridge.apply.KeyText.of(table.primaryKey(), change.after());
            if (change.before() != null) {
                String key = io.graybridge.bridge.apply.KeyText.of(table.primaryKey(), change.before());
                if (!key.equals(afterKey)) {
                    putLast(last, new io.graybridge.bridge.apply.KeyWrite(change.table(), key,
                            change.commitPosition(), true, change.commitTime()));
                }
            }
            if (afterKey != null) {
                putLast(last, new io.graybridge.bridge.apply.KeyWrite(change.table(), afterKey,
                        change.commitPosition(), false, change.commitTime()));
            }
        }
        return List.copyOf(last.values());
    }

    /** Capture's knowledge as of the batch's offset as {@code key_write} rows (latest-wins). */
    private static List<io.graybridge.bridge.apply.KeyWrite> knownWrites(
            List<io.graybridge.bridge.capture.CaptureKnowledge.Known> known) {
        List<io.graybridge.bridge.apply.KeyWrite> out = new ArrayList<>(known.size());
        for (io.graybridge.bridge.capture.CaptureKnowledge.Known k : known) {
            byte[] hash = new byte[k.hash().remaining()];
            k.hash().duplicate().get(hash);
            io.graybridge.bridge.capture.CaptureKnowledge.Write w = k.lastWrite();
            io.graybridge.bridge.capture.CaptureKnowledge.Version v = k.version();
            out.add(new io.graybridge.bridge.apply.KeyWrite(hash, k.table(), k.key(),
                    w == null ? io.graybridge.bridge.capture.SourcePositions.NONE : w.position(),
                    w != null && w.tombstone(), w == null ? null : w.stamp(), v == null ? null : v.stamp(),
                    v == null ? null : v.side()));
        }
        return out;
    }

    /** Puts {@code write} last in {@code last}, replacing an earlier write of its table and key. */
    private static void putLast(Map<String, io.graybridge.bridge.apply.KeyWrite> last,
            io.graybridge.bridge.apply.KeyWrite write) {
        String id = io.graybridge.bridge.apply.ConvergenceBarrier.id(write.table(), write.key());
        last.remove(id);
        last.put(id, write);
    }

    /** The readable key of a source change: its source table's key columns, or the whole row. */
    private String sourceKey(SourceChange change) {
        Row row = change.after() != null ? change.after() : change.before();
        TableInfo table = sourceTables.get(change.table());
        if (table == null || table.primaryKey().isEmpty()) {
            return row.toString();
        }
        Map<String, Object> key = new LinkedHashMap<>();
        table.primaryKey().forEach(k -> key.put(k, row.get(k)));
        return Row.of(key).toString();
    }

    /** What {@link #retryDeadLetters} did for one source table. */
    public record RetryResult(String table, int retried, int remaining, DeadLetter failed, String error) {
        public boolean complete() {
            return remaining == 0;
        }
    }

    /**
     * Re-applies this lane's open dead letters, of {@code table} or of every table when {@code null}, in
     * source order, through the lane's current mapping and its writer (conflict check, loop-guard marker), a
     * batch at a time; each batch marks its dead letters retried in the transaction that applies them. A
     * table stops at its first dead letter that still cannot be mapped (its error and attempt count are
     * updated); it stays paused, and nothing after it is applied. The running lane, if any, sees the table
     * unpaused at its next batch.
     */
    public List<RetryResult> retryDeadLetters(String table) throws InterruptedException {
        if (barrier != null && state == State.CREATED) {
            // a retry outside the running bridge (deadletters retry): a change into the winning side (under latest-wins
            // any change) waits for the reverse lane's stored position, which the bridge's process moves; say so
            // instead of waiting forever when it does not run
            barrier.outsideTheBridge(RETRY_WAIT_MILLIS);
        }
        Map<String, List<DeadLetter>> byTable = new LinkedHashMap<>();
        for (DeadLetter d : deadLetters.open(table)) {
            byTable.computeIfAbsent(d.table(), t -> new ArrayList<>()).add(d);
        }
        List<RetryResult> results = new ArrayList<>();
        for (Map.Entry<String, List<DeadLetter>> e : byTable.entrySet()) {
            List<DeadLetter> letters = e.getValue();
            SourceTableMapping mapping = translators.get(e.getKey());
            List<TargetChange> out = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            int retried = 0;
            DeadLetter failed = null;
            String error = null;
            for (DeadLetter d : letters) {
                try {
                    if (mapping == null) {
                        throw new MappingException("table " + d.table() + " is no longer in this bridge's 'tables'");
                    }
                    out.addAll(mapping.translate(d.change()));
                    ids.add(d.id());
                } catch (MappingException ex) {
                    failed = d;
                    error = ex.getMessage();
                    break;
                }
                if (ids.size() >= laneConfig.batchSize()) {
                    retried += applyRetried(out, ids);
                }
            }
            retried += applyRetried(out, ids);
            if (failed != null) {
                deadLetters.recordFailedRetry(failed.id(), error);
            }
            results.add(new RetryResult(e.getKey(), retried, letters.size() - retried, failed, error));
        }
        return results;
    }

    /** The longest a dead letter's retry waits at the barrier for the reverse lane. */
    static final long RETRY_WAIT_MILLIS = 60_000;

    private int applyRetried(List<TargetChange> out, List<Long> ids) throws InterruptedException {
        if (ids.isEmpty()) {
            return 0;
        }
        List<Long> done = List.copyOf(ids);
        writer.apply(List.copyOf(out), c -> deadLetters.markRetried(c, done), List.of(),
                new TargetWriter.Progress(0, done.size(), null, null, 0));
        out.clear();
        ids.clear();
        return done.size();
    }

    /**
     * Queues the v2 keys of the changes just committed for the continuous verifier: the target keys of the
     * v1-to-v2 lane, the source rows (before and after: a key change touches two keys) of the v2-to-v1 lane.
     */
    private void queueForVerification(List<SourceChange> changes, List<TargetChange> applied) {
        io.graybridge.reconcile.live.ContinuousVerifier v = verifier;
        if (v == null) {
            return;
        }
        if (direction.target() == io.graybridge.mapping.Side.V2) {
            for (TargetChange c : applied) {
                String mapping = mappingByV2Table.get(c.table());
                if (c.op() != TargetChange.Op.SNAPSHOT && mapping != null) {
                    v.applied(mapping, c.key());
                }
            }
            return;
        }
        for (SourceChange c : changes) {
            String mapping = mappingByV2Table.get(c.table());
            if (c.op() != SourceChange.Op.SNAPSHOT && mapping != null) {
                for (io.graybridge.mapping.Row row : java.util.Arrays.asList(c.before(), c.after())) {
                    if (row != null) {
                        v.applied(mapping, row);
                    }
                }
            }
        }
    }

    /** Counters of work applied but not yet stored with a position. */
    private static final class Pending {
        long snapshotRows;
        long streamed;
        long echoes;
        Instant newestCommit;
    }

    /** Waits until the lane stopped (cleanly or not); returns whether it did within the timeout. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    @Override
    public void close() {
        closing = true;
        if (barrier != null) {
            barrier.stopWaiting(); // a batch waiting for the reverse lane, which may be stopping too, gives up
        }
        capture.close();
        if (barrier != null) {
            barrier.close();
        }
        if (state == State.RUNNING) {
            state = State.STOPPED;
        }
    }

    /** Whether {@code t} or one of its causes is an interruption. */
    static boolean interrupted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            if (c instanceof io.graybridge.error.GrayBridgeException) {
                break;
            }
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
