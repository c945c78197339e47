-- GrayBridge metadata, PostgreSQL. Lives in the bridge's own schema (config: bridge.metadata-schema),
-- never in the application's schema. Flyway runs this with the metadata schema as default schema.

-- The source position of each lane, written in the same transaction as the rows it applied to this
-- (the target) side: the lane resumes from here, so a crash neither loses nor repeats an effect.
-- Key and value are Debezium's own offset encoding (JSON bytes), kept verbatim.
CREATE TABLE lane_offset (
    bridge       text        NOT NULL,
    lane         text        NOT NULL,
    offset_key   bytea       NOT NULL,
    offset_value bytea,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bridge, lane, offset_key)
);

-- Counters of each lane, updated in the same transaction as the rows.
CREATE TABLE lane_progress (
    bridge               text        NOT NULL,
    lane                 text        NOT NULL,
    snapshot_rows        bigint      NOT NULL DEFAULT 0,
    changes_applied      bigint      NOT NULL DEFAULT 0,
    batches_applied      bigint      NOT NULL DEFAULT 0,
    last_source_position text,
    last_source_commit   timestamptz,
    last_applied_at      timestamptz,
    PRIMARY KEY (bridge, lane)
);
