-- Audit trail: the transactional outbox. The writer inserts one row per audit event (applied change,
-- conflict, dead letter, lifecycle event) in the same transaction as the rows and the lane's offset, so an
-- event exists exactly when its effect does. The relay in `graybridge run` publishes rows in seq order to
-- Kafka and deletes them once Kafka acknowledged them; while Kafka is unreachable the table grows.
CREATE TABLE audit_outbox (
    seq        bigserial   PRIMARY KEY,
    bridge     text        NOT NULL,
    event_id   text        NOT NULL,   -- CloudEvents id, stable across replays
    type       text        NOT NULL,   -- CloudEvents type
    channel    text        NOT NULL,   -- CHANGES, CONFLICTS or LIFECYCLE: which configured topic
    record_key text        NOT NULL,   -- Kafka record key: table and primary key
    payload    text        NOT NULL,   -- the CloudEvents structured JSON, byte for byte what is published
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_outbox_by_bridge ON audit_outbox (bridge, seq);

-- What the relay has published from this side, updated in the transaction that deletes the rows.
CREATE TABLE audit_relay_progress (
    bridge            text        PRIMARY KEY,
    published         bigint      NOT NULL DEFAULT 0,
    last_published_at timestamptz
);
