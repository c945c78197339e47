-- Two-way sync: echo and conflict counters per lane, the conflict log, the release phase and (MySQL
-- and MariaDB only) the loop guard's marker table.

ALTER TABLE lane_progress
    ADD COLUMN echoes_suppressed      BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN conflicts_incoming_won BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN conflicts_current_kept BIGINT NOT NULL DEFAULT 0;

-- Every conflict a lane met on this (its target) side, written in the transaction that resolved it.
CREATE TABLE conflict_log (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    bridge          VARCHAR(64)  NOT NULL,
    lane            VARCHAR(64)  NOT NULL,
    table_name      VARCHAR(255) NOT NULL,
    row_key         JSON         NOT NULL,
    kind            VARCHAR(32)  NOT NULL,   -- INSERT_INSERT, UPDATE_UPDATE, UPDATE_DELETE, DELETE_UPDATE
    columns         TEXT         NOT NULL,   -- the disputed columns, comma-separated
    incoming_side   VARCHAR(8)   NOT NULL,   -- v1 or v2: where the incoming change was made
    incoming_before JSON,                    -- translated to this side's shape
    incoming_after  JSON,
    incoming_commit TIMESTAMP(6) NULL,
    current_row     JSON,                    -- this side's row when the change arrived
    current_commit  TIMESTAMP(6) NULL,       -- never known on MySQL (no commit times)
    policy          VARCHAR(64)  NOT NULL,
    winner          VARCHAR(8)   NOT NULL,   -- v1 or v2
    source_position TEXT,
    recorded_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY conflict_log_by_lane (bridge, lane, recorded_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Where the release stands. The lifecycle commands move it; primary-wins follows it.
CREATE TABLE bridge_state (
    bridge     VARCHAR(64)  NOT NULL PRIMARY KEY,
    phase      VARCHAR(32)  NOT NULL DEFAULT 'dual',
    changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The loop guard (MySQL has no transactional logical message): every transaction the bridge's writer
-- commits on this side first bumps its row here. Capture of this side includes this table, so the bump
-- arrives first in the transaction (same GTID as its rows), and the lane drops every change of a
-- transaction carrying a marker of its own bridge. One row per bridge and writer (lane, repair, ...):
-- a lane commits sequentially, so its row is never contended.
CREATE TABLE tx_marker (
    bridge     VARCHAR(64)  NOT NULL,
    writer     VARCHAR(64)  NOT NULL,
    seq        BIGINT       NOT NULL,
    PRIMARY KEY (bridge, writer)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
