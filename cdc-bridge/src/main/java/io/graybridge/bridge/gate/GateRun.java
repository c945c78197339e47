package io.graybridge.bridge.gate;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.DeadLetters;
import io.graybridge.bridge.metadata.DriftRecords;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.bridge.metadata.LaneWatermarks;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.mapping.Direction;
import io.graybridge.reconcile.gate.Gate;
import io.graybridge.reconcile.gate.GateDecision;
import io.graybridge.reconcile.gate.GateInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One gate evaluation, as {@code graybridge gate} and the HTTP gate ({@code /gate/promote},
 * {@code /gate/rollback}) make it: reads the inputs from the bridge metadata and the slots, measures each
 * lane's lag, lets the pure {@link Gate} decide, and stores the decision in {@code gate_decision}. It reads
 * the application's tables never, and writes only the bridge's own metadata (the decision, and the
 * watermark transactions of {@link LaneWatermarks}).
 */
public final class GateRun {
    private GateRun() {}

    /**
     * A decision and when it was made.
     *
     * @param decision the gate's answer with every reason
     * @param decidedAt when the inputs had been read and the gate decided
     * @param decisionId the stored decision's id ({@code gate_decision.decision_id}, also its {@code gate.decided}
     *     event's id), or {@code null} when it was not stored
     */
    public record Result(GateDecision decision, Instant decidedAt, String decisionId) {
        public Result(GateDecision decision, Instant decidedAt) {
            this(decision, decidedAt, null);
        }
    }

    /**
     * Decides whether the release may {@code action} (promote or rollback).
     *
     * @param freshDrift a drift result just made ({@code gate --reconcile}), or {@code null} to use the stored one
     */
    public static Result decide(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, String action, GateInput.Drift freshDrift) {
        DriftRecords records = new DriftRecords(v1, cfg.metadataSchema(), cfg.name());
        GateInput.Drift drift = freshDrift != null ? freshDrift : records.latest().orElse(null);
        List<GateInput.Lane> lanes = lanes(cfg, v1, v2);
        Instant since = drift == null ? Instant.EPOCH : drift.startedAt();
        DeadLetters.Count dead = DeadLetters.fromStore(List.of(v1, v2), cfg.metadataSchema(), cfg.name()).count();
        GateInput input = new GateInput(action, drift, lanes, conflictsSince(cfg, List.of(v1, v2), since),
                new GateInput.Count(dead.value(), dead.note()),
                new VerificationStore(v1, cfg.metadataSchema(), cfg.name()).findingsSince(since));
        Instant now = Instant.now();
        GateDecision decision = Gate.evaluate(input, thresholds(cfg), now);
        String id = java.util.UUID.randomUUID().toString();
        if (records.ready()) {
            records.save(decision, id, h -> {
                if (cfg.audit().enabled()) {
                    new io.graybridge.bridge.audit.Outbox(v1, cfg.metadataSchema(), cfg.name()).append(h,
                            gateEvent(cfg, decision, id));
                }
            });
            return new Result(decision, now, id);
        }
        return new Result(decision, now, null);
    }

    /** The {@code gate.decided} audit event (docs/audit/schemas/gate.decided.v1.json), committed with the decision. */
    static io.graybridge.bridge.audit.AuditEvent gateEvent(BridgeConfig cfg, GateDecision decision, String id) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("bridge", cfg.name());
        data.put("action", decision.action());
        data.put("passed", decision.verdict() == GateDecision.Verdict.PASS);
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (GateDecision.Reason r : decision.reasons()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("check", r.check());
            m.put("passed", r.outcome() == GateDecision.Outcome.PASS);
            m.put("detail", r.detail());
            reasons.add(m);
        }
        data.put("reasons", reasons);
        return io.graybridge.bridge.audit.AuditEvent.lifecycle(cfg.name(), io.graybridge.bridge.audit.EventType.GATE_DECIDED,
                id, "gate/" + decision.action(), data);
    }

    private static Gate.Thresholds thresholds(BridgeConfig cfg) {
        BridgeConfig.Gate g = cfg.gate();
        return new Gate.Thresholds(Duration.ofSeconds(g.maxDriftAgeSeconds()), Duration.ofSeconds(g.maxLagSeconds()),
                g.maxOpenConflicts(), g.maxDeadLetters(), g.maxErrors());
    }

    /**
     * Each lane's lag: how long it took to apply everything its source had committed when the gate began
     * (waiting at most the lag limit); a lane that did not catch up is behind (and reports the age of its
     * newest applied change, or the time waited). A lane with no recorded progress has no lag ({@code null}).
     */
    private static List<GateInput.Lane> lanes(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        LaneWatermarks watermarks = new LaneWatermarks(cfg, v1, v2, cfg.catchUpTimeout());
        Map<String, LaneWatermarks.LaneCatchUp> caughtUp = watermarks.awaitEach(watermarks.mark(),
                Duration.ofSeconds(cfg.gate().maxLagSeconds()).plusMillis(500));
        List<GateInput.Lane> out = new ArrayList<>();
        Instant now = Instant.now();
        for (Direction d : Direction.values()) {
            LaneStatus s = LaneStatus.read(cfg, d, d.source() == v1.side() ? v1 : v2, d.target() == v1.side() ? v1 : v2);
            LaneWatermarks.LaneCatchUp c = caughtUp.get(d.laneName());
            Duration lag = null;
            if (s.lastAppliedAt() != null) {
                lag = c.caughtUp() ? c.waited() : s.lag(now).compareTo(c.waited()) > 0 ? s.lag(now) : c.waited();
            }
            // a lane capturing MariaDB has no slot to show its state; having caught up to a watermark committed
            // after the gate began proves that its binlog reader runs
            boolean running = (d.source() == v1.side() ? v1 : v2).dialect().mysqlFamily()
                    ? c.caughtUp() && c.live() : s.streaming();
            out.add(new GateInput.Lane(d.laneName(), s.enabled(), running, lag, c.caughtUp(),
                    c.caughtUp() ? "" : c.description()));
        }
        return out;
    }

    /** Conflicts recorded on either side at or after {@code since}. */
    private static Long conflictsSince(BridgeConfig cfg, List<SideDatabase> sides, Instant since) {
        long total = 0;
        for (SideDatabase side : DeadLetters.distinct(sides)) {
            String table = side.dialect().qualified(cfg.metadataSchema(), "conflict_log");
            if (!LaneStatus.exists(side, table)) {
                continue; // the bridge never ran here: no conflicts recorded
            }
            total += side.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table
                            + " WHERE bridge = :b AND recorded_at >= :s")
                    .bind("b", cfg.name())
                    .bind("s", java.sql.Timestamp.from(since))
                    .mapTo(Long.class)
                    .one());
        }
        return total;
    }
}
