-- Audit outbox bundles: the events of one lane transaction go into one row, LZ4-compressed (see
-- io.graybridge.bridge.audit.AuditBundle), instead of one row per event. A row holds either one event
-- (event_id, type, channel, record_key, payload, as in V4) or a bundle of `events` events. `bundle` is
-- stored out of line and not compressed again by the server (STORAGE EXTERNAL): it is compressed already.
ALTER TABLE audit_outbox
    ALTER COLUMN event_id DROP NOT NULL,
    ALTER COLUMN type DROP NOT NULL,
    ALTER COLUMN channel DROP NOT NULL,
    ALTER COLUMN record_key DROP NOT NULL,
    ALTER COLUMN payload DROP NOT NULL,
    ADD COLUMN events integer NOT NULL DEFAULT 1,
    ADD COLUMN bundle bytea;
ALTER TABLE audit_outbox ALTER COLUMN bundle SET STORAGE EXTERNAL;
ALTER TABLE audit_outbox ADD CONSTRAINT audit_outbox_one_event_or_a_bundle
    CHECK ((bundle IS NULL AND payload IS NOT NULL AND event_id IS NOT NULL AND events = 1)
        OR (bundle IS NOT NULL AND payload IS NULL AND events >= 1));
