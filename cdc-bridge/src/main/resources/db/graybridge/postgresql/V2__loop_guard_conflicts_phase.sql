-- Two-way sync: echo and conflict counters per lane, the conflict log, and the release phase.

ALTER TABLE lane_progress
    ADD COLUMN echoes_suppressed      bigint NOT NULL DEFAULT 0,
    ADD COLUMN conflicts_incoming_won bigint NOT NULL DEFAULT 0,
    ADD COLUMN conflicts_current_kept bigint NOT NULL DEFAULT 0;

-- Every conflict a lane met on this (its target) side, written in the transaction that resolved it.
CREATE TABLE conflict_log (
    id              bigserial   PRIMARY KEY,
    bridge          text        NOT NULL,
    lane            text        NOT NULL,
    table_name      text        NOT NULL,
    row_key         jsonb       NOT NULL,
    kind            text        NOT NULL,   -- INSERT_INSERT, UPDATE_UPDATE, UPDATE_DELETE, DELETE_UPDATE
    columns         text        NOT NULL,   -- the disputed columns, comma-separated
    incoming_side   text        NOT NULL,   -- v1 or v2: where the incoming change was made
    incoming_before jsonb,                  -- translated to this side's shape
    incoming_after  jsonb,
    incoming_commit timestamptz,
    current_row     jsonb,                  -- this side's row when the change arrived
    current_commit  timestamptz,            -- only read for policies that need it
    policy          text        NOT NULL,
    winner          text        NOT NULL,   -- v1 or v2
    source_position text,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conflict_log_by_lane ON conflict_log (bridge, lane, recorded_at);

-- Where the release stands. The lifecycle commands move it; primary-wins follows it.
CREATE TABLE bridge_state (
    bridge     text        PRIMARY KEY,
    phase      text        NOT NULL DEFAULT 'dual',
    changed_at timestamptz NOT NULL DEFAULT now()
);
