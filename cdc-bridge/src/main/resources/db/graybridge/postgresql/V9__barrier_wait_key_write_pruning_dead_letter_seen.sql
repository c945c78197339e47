-- (1) What a lane waits for at the delete-convergence barrier (ARCHITECTURE.md, "Deletes"), so `graybridge status`
-- can show it from outside the bridge process. Written by the barrier's own thread on the lane's target once a wait
-- passes about a second, refreshed every few seconds while it lasts, cleared when it ends and when the lane starts.
-- A row whose waiting_updated_at is old belongs to a process that is gone.
ALTER TABLE lane_progress
    ADD COLUMN waiting_for_lane        text,          -- the reverse lane the wait depends on; NULL: not waiting
    ADD COLUMN waiting_target_position text,          -- the position the reverse lane must store (readable form)
    ADD COLUMN waiting_stored_position text,          -- what the reverse lane had stored at the last refresh
    ADD COLUMN waiting_since           timestamptz,
    ADD COLUMN waiting_updated_at      timestamptz,
    -- (2) key_write rows of this lane pruned so far (rows at or before the reverse lane's stored seen position)
    ADD COLUMN key_writes_pruned       bigint NOT NULL DEFAULT 0;

-- (3) The seen position of a dead letter's source change (capture's, see SourceChange.seen), so a retry of a change
-- held under the pause policy is decided as it would have been when captured (RowDecision.decideKnowing under a fixed
-- policy); NULL when capture did not know it. Open pause dead letters also hold key_write pruning at their seen.
ALTER TABLE dead_letter ADD COLUMN seen_position bigint;
