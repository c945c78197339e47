-- latest-wins, step 4 of the build plan (ARCHITECTURE.md, "latest-wins: the build plan", "Dead letters"): the
-- latest-wins stamp capture gave a dead letter's source change (SourceChange.stamp, epoch milliseconds), so a retry of a
-- change held under the pause policy is decided by stamps with its stored seen_position, as it would have been when
-- captured. NULL: no stamp (other policies, one-way sync, snapshot rows, dead letters recorded before V11).
ALTER TABLE dead_letter ADD COLUMN stamp_ms BIGINT NULL;
