-- Continuous verification, the last drift result and the last gate decisions. Bridge-wide, so kept on
-- v1 (like bridge_state). V3 and V4 belong to other features (dead letters, audit outbox).

-- Counters of the continuous verifier: keys re-read on both sides after a lane applied them.
CREATE TABLE verification_progress (
    bridge        text        PRIMARY KEY,
    keys_checked  bigint      NOT NULL DEFAULT 0,
    findings      bigint      NOT NULL DEFAULT 0,
    overflowed    bigint      NOT NULL DEFAULT 0,   -- keys not queued because the queue was full
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Each persistent difference the verifier found (a key that still differed when checked again).
CREATE TABLE verification_finding (
    id          bigserial   PRIMARY KEY,
    bridge      text        NOT NULL,
    mapping     text        NOT NULL,
    row_key     text        NOT NULL,
    detail      text        NOT NULL,
    found_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX verification_finding_by_time ON verification_finding (bridge, found_at);

-- The newest complete drift run (every table in scope), for the gate and the lifecycle commands.
CREATE TABLE drift_result (
    bridge         text        PRIMARY KEY,
    verdict        text        NOT NULL,   -- clean, drift, could-not-check
    summary        text        NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    keys_compared  bigint      NOT NULL,
    missing_on_v2  bigint      NOT NULL,
    extra_on_v2    bigint      NOT NULL,
    mismatched     bigint      NOT NULL,
    report         jsonb       NOT NULL
);

-- The newest gate decision per action (promote, rollback), for the lifecycle commands and the HTTP gate.
CREATE TABLE gate_decision (
    bridge      text        NOT NULL,
    action      text        NOT NULL,   -- promote, rollback
    verdict     text        NOT NULL,   -- pass, fail, undecided
    reasons     jsonb       NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bridge, action)
);
