-- Dead letters: source changes a lane could not map (a value the rules do not cover, an expression
-- error), and, while their table is paused, the later changes of that table, held in source order.
-- Written in the same target transaction as the lane's offsets, so none is lost or recorded twice.
CREATE TABLE dead_letter (
    id              bigserial   PRIMARY KEY,             -- source order within a lane
    bridge          text        NOT NULL,
    lane            text        NOT NULL,
    source_table    text        NOT NULL,
    row_key         text        NOT NULL,                -- the source key, readable
    op              text        NOT NULL,                -- SNAPSHOT, INSERT, UPDATE, DELETE
    reason          text        NOT NULL,                -- failed: the mapping failed; held: its table was paused
    policy          text        NOT NULL,                -- pause or skip, as configured when it was recorded
    error           text,                                -- the mapping error (for held changes: the one that paused)
    source_position text,
    source_tx       text,
    source_commit   timestamptz,
    before_row      text,                                -- typed JSON (RowCodec), to re-apply it exactly
    after_row       text,
    status          text        NOT NULL DEFAULT 'open', -- open, retried
    attempts        integer     NOT NULL DEFAULT 0,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    retried_at      timestamptz
);
CREATE INDEX dead_letter_open ON dead_letter (bridge, lane, source_table, id) WHERE status = 'open';
