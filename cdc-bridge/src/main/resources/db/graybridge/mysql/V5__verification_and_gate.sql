-- Continuous verification, the last drift result and the last gate decisions (see
-- db/graybridge/postgresql/V5). The reconciler reads PostgreSQL only in this version, so nothing fills
-- these on MySQL yet; they exist so the metadata has one shape everywhere.
CREATE TABLE verification_progress (
    bridge        VARCHAR(64)  NOT NULL PRIMARY KEY,
    keys_checked  BIGINT       NOT NULL DEFAULT 0,
    findings      BIGINT       NOT NULL DEFAULT 0,
    overflowed    BIGINT       NOT NULL DEFAULT 0,
    updated_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE verification_finding (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    bridge      VARCHAR(64)  NOT NULL,
    mapping     VARCHAR(255) NOT NULL,
    row_key     TEXT         NOT NULL,
    detail      TEXT         NOT NULL,
    found_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    KEY verification_finding_by_time (bridge, found_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE drift_result (
    bridge         VARCHAR(64)  NOT NULL PRIMARY KEY,
    verdict        VARCHAR(32)  NOT NULL,
    summary        TEXT         NOT NULL,
    started_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    finished_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    keys_compared  BIGINT       NOT NULL,
    missing_on_v2  BIGINT       NOT NULL,
    extra_on_v2    BIGINT       NOT NULL,
    mismatched     BIGINT       NOT NULL,
    report         JSON         NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE gate_decision (
    bridge      VARCHAR(64)  NOT NULL,
    action      VARCHAR(16)  NOT NULL,
    verdict     VARCHAR(16)  NOT NULL,
    reasons     JSON         NOT NULL,
    decided_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (bridge, action)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
