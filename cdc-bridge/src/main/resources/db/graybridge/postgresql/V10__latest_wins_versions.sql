-- latest-wins, step 2 of the build plan (ARCHITECTURE.md, "latest-wins: the build plan"): what a lane's capture knows
-- of each key's current version on its source side, stored in key_write with the lane's offset, so a restarted lane
-- rebuilds its knowledge and a write captured again gets the same stamp.
-- version_stamp: the version's latest-wins stamp in epoch milliseconds; version_side: v1 or v2, whose application wrote
-- it (the source side's own write, or the reverse lane's, named by its mark). NULL: no version known (fixed policies
-- record none).
-- A key known only from a reverse lane's mark (by its hash) has no table name or key text: NULL there, and
-- write_position -1 (no application write of it was read).
ALTER TABLE key_write
    ADD COLUMN version_stamp bigint,
    ADD COLUMN version_side  text,
    ALTER COLUMN table_name DROP NOT NULL,
    ALTER COLUMN row_key DROP NOT NULL;
