package io.graybridge.bridge.lane;

import io.graybridge.bridge.apply.TargetChange;
import io.graybridge.bridge.apply.TargetWriter;
import io.graybridge.bridge.capture.BatchSink;
import io.graybridge.bridge.capture.CapturedBatch;
import io.graybridge.bridge.capture.PostgresCapture;
import io.graybridge.bridge.capture.SourceChange;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.TableMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Map<String, ChangeTranslator> translators = new HashMap<>();
    private final TargetWriter writer;
    private final PostgresCapture capture;
    private final LaneStats stats = new LaneStats();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile State state = State.CREATED;
    private volatile Throwable failure;
    private Pending pending = new Pending();

    /**
     * @param targetTables the target side's tables, inspected at start, keyed by name
     * @param resolver the conflict policy
     * @param phase the release phase (for phase-aware conflict policies)
     */
    public Lane(
            BridgeConfig config,
            Direction direction,
            SideDatabase source,
            SideDatabase target,
            Map<String, TableInfo> targetTables,
            ConflictResolver resolver,
            Supplier<String> phase) {
        this.config = config;
        this.laneConfig = config.lane(direction);
        this.direction = direction;
        this.source = source;
        List<String> sourceTables = new ArrayList<>();
        for (TableMapping m : config.tables()) {
            TableInfo t = targetTables.get(m.table(direction.target()));
            translators.put(m.table(direction.source()), new ChangeTranslator(m, direction, t));
            sourceTables.add(m.table(direction.source()));
        }
        this.writer = new TargetWriter(target, config.metadataSchema(), config.name(), direction, targetTables,
                resolver, phase, config.audit());
        this.capture = new PostgresCapture(config.name(), config.name() + "-" + name(), source.config(), laneConfig,
                sourceTables, this, writer::storedOffsets);
    }

    public String name() {
        return direction.laneName();
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
        LOG.info("lane {}: starting capture on {} (slot {}, publication {}, snapshot {})", name(),
                source.config().describe(), laneConfig.slotName(), laneConfig.publicationName(),
                laneConfig.snapshot().name().toLowerCase(java.util.Locale.ROOT));
        state = State.RUNNING;
        releaseStaleSlot();
        capture.start(error -> {
            if (error != null) {
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
     * Whether the lane's capture holds its replication slot, i.e. streams: a change committed on the
     * source before that moment is not captured (snapshot rows aside).
     */
    public boolean isStreaming() {
        return state == State.RUNNING && source.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot AND active")
                .bind("slot", laneConfig.slotName())
                .mapTo(Integer.class)
                .one()) > 0;
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
        String lastPosition = null;
        for (SourceChange change : batch.changes()) {
            out.addAll(translators.get(change.table()).translate(change));
            if (change.op() == SourceChange.Op.SNAPSHOT) {
                pending.snapshotRows++;
            } else {
                pending.streamed++;
                pending.newestCommit = change.commitTime();
            }
            lastPosition = change.position();
        }
        pending.echoes += batch.echoesSuppressed();
        stats.recordEchoes(batch.echoesSuppressed());
        if (out.isEmpty() && batch.offsets().isEmpty()) {
            return;
        }
        // counters commit with the position: a chunk of an unfinished source transaction adds to them only
        // when the transaction's last chunk commits, so a replay after a crash does not count twice
        TargetWriter.Progress progress = batch.endsAtCommit()
                ? new TargetWriter.Progress(pending.snapshotRows, pending.streamed, lastPosition, pending.newestCommit,
                        pending.echoes)
                : null;
        TargetWriter.Outcome outcome = writer.apply(out, batch.offsets(), progress);
        long now = System.currentTimeMillis();
        long[] lags = new long[batch.changes().size()];
        int n = 0;
        for (SourceChange change : batch.changes()) {
            if (change.op() != SourceChange.Op.SNAPSHOT) {
                lags[n++] = Math.max(0, now - change.commitTime().toEpochMilli());
            }
        }
        stats.recordConflicts(outcome.incomingWon(), outcome.currentKept());
        if (progress != null) {
            stats.recordBatch(pending.snapshotRows, pending.streamed, pending.newestCommit, lags, n);
            pending = new Pending();
        } else {
            stats.recordBatch(0, 0, null, lags, n);
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
        capture.close();
        if (state == State.RUNNING) {
            state = State.STOPPED;
        }
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
