-- The gray-release lifecycle (see the PostgreSQL V6 for the why): a journal of every phase transition, the
-- transition that made the current phase, and an id on gate decisions. Kept on v1 with bridge_state.

CREATE TABLE phase_transition (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    bridge           VARCHAR(64)  NOT NULL,
    command          VARCHAR(32)  NOT NULL,   -- promote, rollback, finalize; 'backfill-done' when the bridge moved itself
    from_phase       VARCHAR(32)  NOT NULL,
    to_phase         VARCHAR(32)  NOT NULL,
    status           VARCHAR(16)  NOT NULL,   -- pending, done, abandoned
    forced           BOOLEAN      NOT NULL,
    reason           TEXT,
    gate_action      VARCHAR(16),
    gate_verdict     VARCHAR(16),
    gate_decision_id VARCHAR(64),
    actor            VARCHAR(255) NOT NULL,
    host             VARCHAR(255) NOT NULL,
    event_id         VARCHAR(64)  NOT NULL,
    started_at       TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    completed_at     TIMESTAMP(6) NULL,
    -- at most one unfinished transition per bridge: MySQL has no partial index, so a unique key on a
    -- column that holds the bridge only while the row is pending (NULLs never collide)
    pending_bridge   VARCHAR(64) AS (CASE WHEN status = 'pending' THEN bridge END) STORED,
    UNIQUE KEY phase_transition_one_pending (pending_bridge),
    KEY phase_transition_by_bridge (bridge, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE bridge_state ADD COLUMN transition_id BIGINT NULL;

ALTER TABLE gate_decision ADD COLUMN decision_id VARCHAR(64) NULL;
