package io.graybridge.bridge.lifecycle;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.LaneStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The stored phase ({@code bridge_state}) and the journal of its transitions ({@code phase_transition}),
 * both in the bridge metadata on v1. A transition is two transactions: {@link #begin} records the decision
 * (gate passed or forced) as a {@code pending} row; {@link #complete} moves the phase, appends the
 * {@code phase.changed} audit event and marks the row {@code done}, all in one transaction. A crash between
 * them leaves the pending row, which the same command completes when run again.
 */
public final class PhaseJournal {
    private final SideDatabase v1;
    private final String bridge;
    private final String state;
    private final String journal;
    private final Outbox outbox;

    /**
     * @param outbox v1's audit outbox, or {@code null} when audit is off
     */
    public PhaseJournal(SideDatabase v1, String metadataSchema, String bridge, Outbox outbox) {
        this.v1 = v1;
        this.bridge = bridge;
        this.state = v1.dialect().qualified(metadataSchema, "bridge_state");
        this.journal = v1.dialect().qualified(metadataSchema, "phase_transition");
        this.outbox = outbox;
    }

    /**
     * The stored phase and since when.
     *
     * @param transitionId the journal row that made it, or {@code null} (stored before the journal existed)
     */
    public record State(Phase phase, Instant since, Long transitionId) {}

    /**
     * One transition as the journal holds it.
     *
     * @param command promote, rollback, finalize, or {@code backfill-done}
     * @param gateAction the gate it passed (or overrode), or {@code null}
     * @param gateVerdict {@code pass}, {@code fail} or {@code undecided}, or {@code null}
     */
    public record Transition(long id, String command, Phase from, Phase to, String status, boolean forced, String reason,
            String gateAction, String gateVerdict, String gateDecisionId, String actor, String host, String eventId,
            Instant startedAt, Instant completedAt) {
        public boolean pending() {
            return "pending".equals(status);
        }
    }

    /** Whether the metadata on v1 holds the journal (migrated to V6). */
    public boolean ready() {
        return LaneStatus.exists(v1, journal);
    }

    /** The stored phase, or empty when the bridge has none yet (never ran, or the metadata is missing). */
    public Optional<State> state() {
        if (!LaneStatus.exists(v1, state)) {
            return Optional.empty();
        }
        boolean withId = ready();
        return v1.withHandle(h -> h.createQuery("SELECT phase, changed_at" + (withId ? ", transition_id" : "")
                        + " FROM " + state + " WHERE bridge = :b")
                .bind("b", bridge)
                .map((rs, ctx) -> new State(Phase.parse(rs.getString(1)), rs.getTimestamp(2).toInstant(),
                        withId ? (Long) rs.getObject(3, Long.class) : null))
                .findOne());
    }

    /** Stores {@code phase} unless a phase is stored already; returns the stored phase. */
    public State initialize(Phase phase) {
        v1.useTransaction(h -> h.createUpdate("INSERT INTO " + state + " (bridge, phase) VALUES (:b, :p)"
                        + (mariaDb() ? " ON DUPLICATE KEY UPDATE bridge = bridge" : " ON CONFLICT (bridge) DO NOTHING"))
                .bind("b", bridge)
                .bind("p", phase.id())
                .execute());
        return state().orElseThrow();
    }

    /** The unfinished transition, if a command stopped between its two transactions. */
    public Optional<Transition> pending() {
        return v1.withHandle(h -> h.createQuery("SELECT * FROM " + journal + " WHERE bridge = :b AND status = 'pending'")
                .bind("b", bridge)
                .map((rs, ctx) -> transition(rs))
                .findOne());
    }

    /** The transition that made the current phase, or the newest one. */
    public Optional<Transition> latest() {
        if (!ready()) {
            return Optional.empty();
        }
        return v1.withHandle(h -> h.createQuery("SELECT * FROM " + journal + " WHERE bridge = :b ORDER BY id DESC LIMIT 1")
                .bind("b", bridge)
                .map((rs, ctx) -> transition(rs))
                .findOne());
    }

    /** Every transition, oldest first. */
    public java.util.List<Transition> history() {
        if (!ready()) {
            return java.util.List.of();
        }
        return v1.withHandle(h -> h.createQuery("SELECT * FROM " + journal + " WHERE bridge = :b ORDER BY id")
                .bind("b", bridge)
                .map((rs, ctx) -> transition(rs))
                .list());
    }

    /**
     * Records a decided transition as pending (the first of its two transactions).
     *
     * @return the pending row
     */
    public Transition begin(String command, Phase from, Phase to, boolean forced, String reason, String gateAction,
            String gateVerdict, String gateDecisionId, String actor, String host) {
        long id = v1.inTransaction(h -> {
            // the row's id names its audit event: insert, then set the event id from the generated key
            long next = h.createUpdate("INSERT INTO " + journal + " (bridge, command, from_phase, to_phase, status, forced,"
                            + " reason, gate_action, gate_verdict, gate_decision_id, actor, host, event_id)"
                            + " VALUES (:b, :c, :f, :t, 'pending', :forced, :reason, :ga, :gv, :gd, :actor, :host, '')")
                    .bind("b", bridge)
                    .bind("c", command)
                    .bind("f", from.id())
                    .bind("t", to.id())
                    .bind("forced", forced)
                    .bind("reason", reason)
                    .bind("ga", gateAction)
                    .bind("gv", gateVerdict)
                    .bind("gd", gateDecisionId)
                    .bind("actor", actor)
                    .bind("host", host)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one();
            h.createUpdate("UPDATE " + journal + " SET event_id = :e WHERE id = :id")
                    .bind("e", AuditEvent.stableId(bridge, "phase_transition", Long.toString(next)))
                    .bind("id", next)
                    .execute();
            return next;
        });
        return pending().filter(t -> t.id() == id).orElseThrow();
    }

    /** What {@link #complete} found. */
    public enum Completion {
        /** The phase moved, the event is in the outbox, the row is done. */
        MOVED,
        /**
         * The stored phase was neither the transition's {@code from} nor its {@code to} (someone else moved it
         * meanwhile): nothing moved, the row is marked {@code abandoned}.
         */
        ABANDONED
    }

    /**
     * Moves the phase for the pending transition {@code t}, appends its {@code phase.changed} event and marks
     * it done, in one transaction on v1 (the second of its two transactions). The phase row is locked first,
     * so two operators completing at once serialize.
     */
    public Completion complete(Transition t) {
        return v1.inTransaction(h -> {
            String current = h.createQuery("SELECT phase FROM " + state + " WHERE bridge = :b FOR UPDATE")
                    .bind("b", bridge)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null);
            if (current != null && !current.equals(t.from().id()) && !current.equals(t.to().id())) {
                mark(h, t, "abandoned");
                return Completion.ABANDONED;
            }
            h.createUpdate(mariaDb()
                            ? "INSERT INTO " + state + " (bridge, phase, changed_at, transition_id) VALUES (:b, :p,"
                                    + " CURRENT_TIMESTAMP(6), :id) ON DUPLICATE KEY UPDATE phase = VALUES(phase),"
                                    + " changed_at = CURRENT_TIMESTAMP(6), transition_id = VALUES(transition_id)"
                            : "INSERT INTO " + state + " (bridge, phase, changed_at, transition_id) VALUES (:b, :p, now(), :id)"
                                    + " ON CONFLICT (bridge) DO UPDATE SET phase = EXCLUDED.phase, changed_at = now(),"
                                    + " transition_id = EXCLUDED.transition_id")
                    .bind("b", bridge)
                    .bind("p", t.to().id())
                    .bind("id", t.id())
                    .execute();
            if (outbox != null) {
                outbox.append(h, event(t));
            }
            mark(h, t, "done");
            return Completion.MOVED;
        });
    }

    private boolean mariaDb() {
        return v1.dialect().mysqlFamily();
    }

    private void mark(Handle h, Transition t, String status) {
        h.createUpdate("UPDATE " + journal + " SET status = :s, completed_at = " + (mariaDb() ? "CURRENT_TIMESTAMP(6)" : "now()")
                        + " WHERE id = :id AND status = 'pending'")
                .bind("s", status)
                .bind("id", t.id())
                .execute();
    }

    /** The {@code phase.changed} audit event of {@code t} (docs/audit/schemas/phase.changed.v1.json). */
    AuditEvent event(Transition t) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bridge", bridge);
        data.put("from", t.from().id());
        data.put("to", t.to().id());
        data.put("forced", t.forced());
        data.put("reason", t.reason());
        data.put("actor", t.actor());
        data.put("host", t.host());
        data.put("command", t.command());
        data.put("transitionId", t.id());
        data.put("gateAction", t.gateAction());
        data.put("gateVerdict", t.gateVerdict());
        data.put("gateEventId", t.gateDecisionId());
        return AuditEvent.lifecycle(bridge, EventType.PHASE_CHANGED, t.eventId(), "phase", data);
    }

    private static Transition transition(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.sql.Timestamp done = rs.getTimestamp("completed_at");
        return new Transition(rs.getLong("id"), rs.getString("command"), Phase.parse(rs.getString("from_phase")),
                Phase.parse(rs.getString("to_phase")), rs.getString("status"), rs.getBoolean("forced"),
                rs.getString("reason"), rs.getString("gate_action"), rs.getString("gate_verdict"),
                rs.getString("gate_decision_id"), rs.getString("actor"), rs.getString("host"), rs.getString("event_id"),
                rs.getTimestamp("started_at").toInstant(), done == null ? null : done.toInstant());
    }
}
