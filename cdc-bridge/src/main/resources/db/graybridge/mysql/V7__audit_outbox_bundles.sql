-- Audit outbox bundles (see db/graybridge/postgresql/V7): a row holds one event or a lane transaction's
-- LZ4-compressed bundle of `events` events. The tables keep one shape on every engine.
ALTER TABLE audit_outbox
    MODIFY event_id   VARCHAR(64)  NULL,
    MODIFY type       VARCHAR(128) NULL,
    MODIFY channel    VARCHAR(16)  NULL,
    MODIFY record_key TEXT         NULL,
    MODIFY payload    LONGTEXT     NULL,
    ADD COLUMN events INT NOT NULL DEFAULT 1,
    ADD COLUMN bundle LONGBLOB NULL;
