-- Audit trail: the transactional outbox (see db/graybridge/postgresql/V4). The tables exist on MySQL
-- so the metadata has one shape everywhere; the writer does not fill them on MySQL yet (the config
-- check refuses audit.enabled with a MySQL side).
CREATE TABLE audit_outbox (
    seq        BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    bridge     VARCHAR(64)  NOT NULL,
    event_id   VARCHAR(64)  NOT NULL,
    type       VARCHAR(128) NOT NULL,
    channel    VARCHAR(16)  NOT NULL,
    record_key TEXT         NOT NULL,
    payload    LONGTEXT     NOT NULL,
    created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY audit_outbox_by_bridge (bridge, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE audit_relay_progress (
    bridge            VARCHAR(64)  NOT NULL PRIMARY KEY,
    published         BIGINT       NOT NULL DEFAULT 0,
    last_published_at TIMESTAMP(6) NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
