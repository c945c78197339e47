-- Delete convergence (ARCHITECTURE.md, "Conflicts").
-- (1) A lane's loop-guard mark carries the source position it delivered with the transaction; capture of this side
-- reads it from the binlog row image (PostgreSQL carries it in the marker message's content).
ALTER TABLE tx_marker ADD COLUMN seen BIGINT NULL;

-- (2) What a lane knows of its source side's own application writes: lane S -> O writes, on O, per source table and
-- key it captured, the commit position of S's last application write of the key, in the same transaction as the rows
-- and the lane's offset; the reverse lane (O -> S) reads it to tell whether an incoming change and S's write were
-- concurrent. key_hash is the SHA-256 of the table name and the key's text (apply.KeyText).
CREATE TABLE key_write (
    bridge         VARCHAR(64)  NOT NULL,
    lane           VARCHAR(64)  NOT NULL,
    key_hash       BINARY(32)   NOT NULL,
    table_name     VARCHAR(255) NOT NULL,   -- the source table (unqualified)
    row_key        TEXT         NOT NULL,   -- the key's text, for people
    write_position BIGINT       NOT NULL,   -- commit position on the source (capture.SourcePositions)
    tombstone      BOOLEAN      NOT NULL,   -- the write deleted the row
    stamp          TIMESTAMP(6) NULL,       -- the write's commit time
    PRIMARY KEY (bridge, lane, key_hash)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
