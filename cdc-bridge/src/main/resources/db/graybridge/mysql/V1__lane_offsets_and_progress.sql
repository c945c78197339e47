-- GrayBridge metadata, MySQL 8: db/graybridge/mariadb/V1-V8 as they are, except V6's generated column
-- (STORED, MySQL's word for MariaDB's PERSISTENT). The same tables as db/graybridge/postgresql/V1, in the
-- bridge's own database (config: bridge.metadata-schema; on MySQL a schema is a database), never in the
-- application's. Times are TIMESTAMP(6): stored in UTC, shown in the session's time zone.

-- The source position of each lane, written in the same transaction as the rows it applied to this
-- (the target) side. Key and value are Debezium's own offset encoding (JSON bytes), kept verbatim.
CREATE TABLE lane_offset (
    bridge       VARCHAR(64)    NOT NULL,
    lane         VARCHAR(64)    NOT NULL,
    offset_key   VARBINARY(1024) NOT NULL,
    offset_value BLOB,
    updated_at   TIMESTAMP(6)   NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (bridge, lane, offset_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Counters of each lane, updated in the same transaction as the rows.
CREATE TABLE lane_progress (
    bridge               VARCHAR(64)  NOT NULL,
    lane                 VARCHAR(64)  NOT NULL,
    snapshot_rows        BIGINT       NOT NULL DEFAULT 0,
    changes_applied      BIGINT       NOT NULL DEFAULT 0,
    batches_applied      BIGINT       NOT NULL DEFAULT 0,
    last_source_position TEXT,
    last_source_commit   TIMESTAMP(6) NULL,
    last_applied_at      TIMESTAMP(6) NULL,
    PRIMARY KEY (bridge, lane)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- MySQL and MariaDB only: Debezium's schema history of a lane capturing this side (the table definitions it has
-- seen in the binlog, with their positions), so a restart on any host rebuilds the same in-memory
-- schema. Written by capture.MetadataSchemaHistory, read back in id order.
CREATE TABLE schema_history (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    bridge     VARCHAR(64)  NOT NULL,
    lane       VARCHAR(64)  NOT NULL,
    record     LONGTEXT     NOT NULL,   -- Debezium's HistoryRecord as JSON
    stored_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY schema_history_by_lane (bridge, lane, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
