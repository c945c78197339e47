-- Dead letters: source changes a lane could not map, and, while their table is paused, the later
-- changes of that table, held in source order (see db/graybridge/postgresql/V3).
CREATE TABLE dead_letter (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,   -- source order within a lane
    bridge          VARCHAR(64)  NOT NULL,
    lane            VARCHAR(64)  NOT NULL,
    source_table    VARCHAR(255) NOT NULL,
    row_key         TEXT         NOT NULL,
    op              VARCHAR(16)  NOT NULL,   -- SNAPSHOT, INSERT, UPDATE, DELETE
    reason          VARCHAR(16)  NOT NULL,   -- failed, held
    policy          VARCHAR(16)  NOT NULL,   -- pause or skip
    error           TEXT,
    source_position TEXT,
    source_tx       TEXT,
    source_commit   TIMESTAMP(6) NULL,
    before_row      LONGTEXT,                -- typed JSON (RowCodec)
    after_row       LONGTEXT,
    status          VARCHAR(16)  NOT NULL DEFAULT 'open',   -- open, retried
    attempts        INT          NOT NULL DEFAULT 0,
    recorded_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    retried_at      TIMESTAMP(6) NULL,
    KEY dead_letter_open (bridge, lane, source_table, status, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
