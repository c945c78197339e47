-- The gray-release lifecycle: a journal of every phase transition, the transition that made the current
-- phase, and an id on gate decisions so that a transition names the decision that allowed it. Bridge-wide,
-- so kept on v1 with bridge_state: one row there is the phase both lanes (and both sides) follow.

-- Every phase transition. A command writes its row 'pending' once its gate passed (or was forced), then
-- moves the phase, appends the phase.changed audit event and marks the row 'done' in one transaction. A
-- crash in between leaves the row 'pending': running the same command again completes it as decided.
CREATE TABLE phase_transition (
    id               bigserial   PRIMARY KEY,
    bridge           text        NOT NULL,
    command          text        NOT NULL,   -- promote, rollback, finalize; 'backfill-done' when the bridge moved itself
    from_phase       text        NOT NULL,
    to_phase         text        NOT NULL,
    status           text        NOT NULL,   -- pending, done
    forced           boolean     NOT NULL,
    reason           text,                   -- why (required when forced)
    gate_action      text,                   -- promote, rollback; null when no gate applies (backfill-done)
    gate_verdict     text,                   -- pass, fail, undecided
    gate_decision_id text,                   -- gate_decision.decision_id, also the gate.decided event's id
    actor            text        NOT NULL,   -- the operator's OS user, or 'graybridge'
    host             text        NOT NULL,
    event_id         text        NOT NULL,   -- the phase.changed audit event's id
    started_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);
-- at most one unfinished transition per bridge (MariaDB port: a generated column + unique key instead)
CREATE UNIQUE INDEX phase_transition_one_pending ON phase_transition (bridge) WHERE status = 'pending';
CREATE INDEX phase_transition_by_bridge ON phase_transition (bridge, id);

ALTER TABLE bridge_state ADD COLUMN transition_id bigint;   -- the phase_transition row that made the phase

ALTER TABLE gate_decision ADD COLUMN decision_id text;
