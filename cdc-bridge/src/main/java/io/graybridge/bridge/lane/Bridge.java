package io.graybridge.bridge.lane;

import io.graybridge.bridge.audit.AuditRelay;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.conflict.ConflictResolvers;
import io.graybridge.bridge.db.LiveSchemaCheck;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.lifecycle.Lifecycle;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.lifecycle.PhaseJournal;
import io.graybridge.bridge.metadata.MetadataSchema;
import io.graybridge.bridge.metadata.PhaseStore;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.bridge.db.TableInfo;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Equivalence;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.live.ContinuousVerifier;
import java.time.Duration;
import io.graybridge.error.ProblemsException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running bridge: the pools to both sides, their metadata schemas, and the enabled lanes. Opening it
 * checks the live schemas first and starts nothing when any check fails.
 */
public final class Bridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final BridgeConfig config;
    private final SideDatabase v1;
    private final SideDatabase v2;
    private final Map<Direction, Lane> lanes = new EnumMap<>(Direction.class);
    private ContinuousVerifier verifier;
    private final Map<Side, AuditRelay> relays = new EnumMap<>(Side.class);
    private PhaseStore phase;
    private PhaseJournal journal;
    private volatile Phase current;
    private volatile boolean finalized;
    private java.util.concurrent.ScheduledExecutorService follower;

    private Bridge(BridgeConfig config, SideDatabase v1, SideDatabase v2) {
        this.config = config;
        this.v1 = v1;
        this.v2 = v2;
    }

    /**
     * Connects to both sides, checks their schemas against the config, and creates or migrates the
     * bridge metadata on each side.
     *
     * @throws ProblemsException listing every schema problem; nothing was changed on either side
     */
    public static Bridge open(BridgeConfig config) {
        SideDatabase v1 = SideDatabase.open(config.v1(), config.name());
        SideDatabase v2;
        try {
            v2 = SideDatabase.open(config.v2(), config.name());
        } catch (RuntimeException e) {
            v1.close();
            throw e;
        }
        Bridge bridge = new Bridge(config, v1, v2);
        try {
            LiveSchemaCheck check = new LiveSchemaCheck(config, v1, v2);
            check.verify();
            for (SideDatabase side : List.of(v1, v2)) {
                int ran = MetadataSchema.migrate(side, config.metadataSchema());
                LOG.info("{}: bridge metadata schema '{}' ready ({} migration(s) applied)",
                        side.side().id(), config.metadataSchema(), ran);
            }
            PhaseJournal.State state = Lifecycle.ensureState(config, v1, v2);
            if (state.phase() == Phase.FINALIZED) {
                throw Lifecycle.finalizedRefusal(config, state);
            }
            LOG.info("bridge '{}' is in phase {} (since {})", config.name(), state.phase(), state.since());
            ConflictResolver resolver = ConflictResolvers.named(config.conflictPolicy());
            PhaseStore phase = new PhaseStore(v1, config.metadataSchema(), config.name());
            phase.update(state.phase().id());
            bridge.phase = phase;
            bridge.current = state.phase();
            bridge.journal = Lifecycle.journal(config, v1);
            for (Direction d : Direction.values()) {
                LaneConfig lane = config.lane(d);
                if (lane != null && lane.enabled()) {
                    bridge.lanes.put(d, new Lane(config, d, bridge.side(d.source()), bridge.side(d.target()),
                            check.tables(d.source()), check.tables(d.target()), resolver, phase));
                }
            }
            Lane forward = bridge.lanes.get(Direction.FORWARD);
            Lane backward = bridge.lanes.get(Direction.BACKWARD);
            if (forward != null && backward != null) {
                // two-way latest-wins: each lane's barrier waits on the other lane's capture, in this process
                forward.useReverseKnowledge(backward.knowledge());
                backward.useReverseKnowledge(forward.knowledge());
            }
            if (config.verify().enabled() && !bridge.lanes.isEmpty()) {
                bridge.verifier = verifier(config, v1, v2, check);
                bridge.lanes.values().forEach(l -> l.verifyWith(bridge.verifier));
            }
            if (config.audit().enabled()) {
                for (Side side : Outbox.sides(config)) {
                    bridge.relays.put(side, new AuditRelay(bridge.side(side), config.metadataSchema(), config.name(),
                            config.audit()));
                }
            }
            return bridge;
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /** The continuous verifier of the mapped tables, reporting to the metadata on v1. */
    private static ContinuousVerifier verifier(BridgeConfig config, SideDatabase v1, SideDatabase v2, LiveSchemaCheck check) {
        List<ContinuousVerifier.Target> targets = new ArrayList<>();
        for (TableMapping m : config.tables()) {
            TableInfo t1 = check.tables(Side.V1).get(m.v1Table());
            TableInfo t2 = check.tables(Side.V2).get(m.v2Table());
            targets.add(new ContinuousVerifier.Target(m,
                    new SideTable(v1.dataSource(), v1.schema(), m.v1Table(), t1.primaryKey()),
                    new SideTable(v2.dataSource(), v2.schema(), m.v2Table(), t2.primaryKey())));
        }
        CompareOptions options = CompareOptions.defaults().withEquivalence(new Equivalence(config.nullEqualsEmpty()));
        return new ContinuousVerifier(targets, Duration.ofMillis(config.verify().delayMillis()),
                config.verify().queueCapacity(), options, new VerificationStore(v1, config.metadataSchema(), config.name()));
    }

    /** The continuous verifier, when {@code verify.enabled} and a lane runs. */
    public Optional<ContinuousVerifier> verifier() {
        return Optional.ofNullable(verifier);
    }

    public BridgeConfig config() {
        return config;
    }

    public SideDatabase side(Side side) {
        return side == Side.V1 ? v1 : v2;
    }

    public Optional<Lane> lane(Direction direction) {
        return Optional.ofNullable(lanes.get(direction));
    }

    public List<Lane> lanes() {
        return new ArrayList<>(lanes.values());
    }

    /** The audit relays when audit is on: one per side with an outbox of its own ({@link Outbox#sides}). */
    public Map<Side, AuditRelay> relays() {
        return Map.copyOf(relays);
    }

    public void start() {
        relays.values().forEach(AuditRelay::start);
        lanes.values().forEach(Lane::start);
        if (verifier != null) {
            verifier.start();
        }
        follower = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graybridge-phase");
            t.setDaemon(true);
            return t;
        });
        follower.scheduleWithFixedDelay(this::followPhase, 0, PHASE_READ_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** How often the running bridge reads the stored phase. */
    static final long PHASE_READ_MILLIS = 1_000;

    /** The phase the bridge last read (both lanes' conflict policy reads the same). */
    public Phase phase() {
        return current;
    }

    /** Whether the bridge stopped its lanes because the release was finalized. */
    public boolean finalized() {
        return finalized;
    }

    /**
     * The lanes follow the stored phase: read every second and handed to both lanes at once; in {@code backfill}
     * the bridge moves itself to {@code dual} once its v1-to-v2 lane streams (snapshot done); in {@code
     * finalized} it stops both lanes.
     */
    private void followPhase() {
        try {
            PhaseJournal.State state = journal.state().orElse(null);
            if (state == null) {
                return;
            }
            Phase read = state.phase();
            if (read == Phase.BACKFILL && backfillDone()) {
                PhaseJournal.Transition t = journal.pending()
                        .filter(p -> p.command().equals(Lifecycle.BACKFILL_DONE))
                        .orElseGet(() -> journal.begin(Lifecycle.BACKFILL_DONE, Phase.BACKFILL, Phase.DUAL, false, null,
                                null, null, null, Lifecycle.BRIDGE_ACTOR, Lifecycle.host()));
                if (journal.complete(t) == PhaseJournal.Completion.MOVED) {
                    LOG.info("backfill done: lane {} streams; phase backfill -> dual", Direction.FORWARD.laneName());
                    read = Phase.DUAL;
                }
            }
            if (read != current) {
                LOG.info("phase {} -> {}", current, read);
            }
            current = read;
            phase.update(read.id());
            if (read == Phase.FINALIZED && !finalized) {
                finalized = true;
                LOG.info("the release is finalized: stopping both lanes");
                if (verifier != null) {
                    verifier.close();
                }
                for (Lane lane : lanes.values()) {
                    lane.close();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the release phase (the lanes keep the last one read, {}): {}", current, e.toString());
        }
    }

    private boolean backfillDone() {
        Lane forward = lanes.get(Direction.FORWARD);
        return forward == null || forward.isStreaming();
    }

    /**
     * Waits up to {@code timeout} until the audit outboxes this bridge relays are empty (after finalize, so the
     * last lifecycle events reach Kafka before the process ends); returns whether they are.
     */
    public boolean awaitOutboxesDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean empty = true;
            for (Side s : relays.keySet()) {
                empty &= Outbox.backlog(side(s), config.metadataSchema(), config.name()).waiting() == 0;
            }
            if (empty || System.nanoTime() >= deadline) {
                return empty;
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.shutdownNow();
        }
        relays.values().forEach(AuditRelay::stop); // they wind down while the lanes stop
        if (verifier != null) {
            verifier.close();
        }
        for (Lane lane : finalized ? List.<Lane>of() : lanes.values()) { // finalize stopped them already
            try {
                lane.close();
            } catch (RuntimeException e) {
                LOG.warn("stopping lane {} failed: {}", lane.name(), e.toString());
            }
        }
        relays.values().forEach(AuditRelay::close);
        v1.close();
        v2.close();
    }
}
