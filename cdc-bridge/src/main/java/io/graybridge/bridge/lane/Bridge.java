package io.graybridge.bridge.lane;

import io.graybridge.bridge.audit.AuditRelay;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.conflict.ConflictResolver;
import io.graybridge.bridge.conflict.ConflictResolvers;
import io.graybridge.bridge.db.LiveSchemaCheck;
import io.graybridge.bridge.db.SideDatabase;
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
            ConflictResolver resolver = ConflictResolvers.named(config.conflictPolicy());
            PhaseStore phase = new PhaseStore(v1, config.metadataSchema(), config.name());
            for (Direction d : Direction.values()) {
                LaneConfig lane = config.lane(d);
                if (lane != null && lane.enabled()) {
                    bridge.lanes.put(d, new Lane(config, d, bridge.side(d.source()), bridge.side(d.target()),
                            check.tables(d.source()), check.tables(d.target()), resolver, phase));
                }
            }
            boolean allPostgreSql = v1.dialect() == io.graybridge.bridge.db.Dialect.POSTGRESQL
                    && v2.dialect() == io.graybridge.bridge.db.Dialect.POSTGRESQL;
            if (config.verify().enabled() && !bridge.lanes.isEmpty() && !allPostgreSql) {
                LOG.warn("continuous verification (verify.enabled) is off for this bridge: it reads both sides with"
                        + " the reconciler, which reads PostgreSQL only in this version; set verify.enabled: false to"
                        + " silence this warning");
            } else if (config.verify().enabled() && !bridge.lanes.isEmpty()) {
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
    }

    @Override
    public void close() {
        if (verifier != null) {
            verifier.close();
        }
        for (Lane lane : lanes.values()) {
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
