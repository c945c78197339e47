-- latest-wins, step 2 of the build plan (ARCHITECTURE.md, "latest-wins: the build plan").
-- (1) A lane's mark carries the versions its transaction wrote (apply.TargetWriter, guard.MarkStamps: key hash and
-- stamp per key, at most 500 a mark; a transaction that wrote more bumps its marker row once more per 500). Capture of
-- this side reads them from the binlog row image. NULL: none (other policies, or nothing written).
ALTER TABLE tx_marker ADD COLUMN stamps TEXT NULL;

-- (2) What a lane's capture knows of each key's current version on its source side, stored in key_write with the
-- lane's offset, so a restarted lane rebuilds its knowledge and a write captured again gets the same stamp.
-- version_stamp: the version's latest-wins stamp in epoch milliseconds; version_side: v1 or v2, whose application wrote
-- it. NULL: no version known (fixed policies record none). A key known only from a reverse lane's mark (by its hash)
-- has no table name or key text: NULL there, and write_position -1.
ALTER TABLE key_write
    ADD COLUMN version_stamp BIGINT NULL,
    ADD COLUMN version_side  VARCHAR(2) NULL,
    MODIFY table_name VARCHAR(255) NULL,
    MODIFY row_key TEXT NULL;
