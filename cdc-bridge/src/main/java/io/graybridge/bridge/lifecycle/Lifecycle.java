package io.graybridge.bridge.lifecycle;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** What the running bridge and the lifecycle commands share: the journal, the first phase, who acts. */
public final class Lifecycle {
    /** The actor of the transitions the bridge makes by itself. */
    public static final String BRIDGE_ACTOR = "graybridge";
    /** The journal's command for the automatic backfill-to-dual move. */
    public static final String BACKFILL_DONE = "backfill-done";

    private Lifecycle() {}

    /** The journal of {@code cfg}'s bridge on v1, appending events to v1's outbox when audit is on. */
    public static PhaseJournal journal(BridgeConfig cfg, SideDatabase v1) {
        return new PhaseJournal(v1, cfg.metadataSchema(), cfg.name(),
                cfg.audit().enabled() ? new Outbox(v1, cfg.metadataSchema(), cfg.name()) : null);
    }

    /**
     * The phase a bridge without a stored phase starts in: {@code backfill} while its v1-to-v2 lane has not
     * streamed yet, {@code dual} for an existing bridge whose v1-to-v2 lane already streams (or streamed
     * changes), or that has no v1-to-v2 lane.
     */
    public static Phase initialPhase(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        LaneConfig lane = cfg.lane(Direction.FORWARD);
        if (lane == null || !lane.enabled()) {
            return Phase.DUAL;
        }
        LaneStatus s = LaneStatus.read(cfg, Direction.FORWARD, v1, v2);
        return s.streaming() || s.changesApplied() > 0 ? Phase.DUAL : Phase.BACKFILL;
    }

    /** The stored phase, storing the {@link #initialPhase} first when there is none (the metadata is migrated). */
    public static PhaseJournal.State ensureState(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        PhaseJournal journal = journal(cfg, v1);
        return journal.state().orElseGet(() -> journal.initialize(initialPhase(cfg, v1, v2)));
    }

    /** The refusal of {@code run} on a finalized bridge. */
    public static GrayBridgeException finalizedRefusal(BridgeConfig cfg, PhaseJournal.State state) {
        return new GrayBridgeException(ErrorCode.CONFIG_INVALID, "bridge '" + cfg.name() + "' was finalized at "
                + state.since() + " (graybridge status shows who and why): its lanes stay stopped, so `run` starts"
                + " nothing. To remove its replication slots, publications and metadata run `graybridge finalize -c"
                + " FILE --drop-bridge-objects`; a new release needs a new bridge (another bridge.name).");
    }

    /** The operator's OS user. */
    public static String actor() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    /** This host's name. */
    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }
}
