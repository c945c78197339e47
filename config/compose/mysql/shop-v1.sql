-- The example shop's v1 schema in MySQL 8's dialect, for the compose stack's mysql service (database
-- shop_v1, created by the image from MYSQL_DATABASE). The same tables as config/demo/v1.sql: a MySQL
-- v1 side for the MySQL-family work of issue 5. Row-based binlog with full images is set on the server's
-- command line (docker-compose.yml), so no per-table setting is needed here.
CREATE TABLE customers (
    id            BIGINT       PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    email         VARCHAR(320),
    balance_cents BIGINT       NOT NULL DEFAULT 0,
    status        CHAR(1)      NOT NULL DEFAULT 'A',
    created_at    DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) CHARACTER SET utf8mb4;

CREATE TABLE orders (
    id          BIGINT      PRIMARY KEY,
    customer_id BIGINT      NOT NULL,
    total_cents BIGINT      NOT NULL,
    placed_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) CHARACTER SET utf8mb4;

CREATE TABLE suppliers (
    id           BIGINT       PRIMARY KEY,
    contact_name VARCHAR(200) NOT NULL,
    status       CHAR(1)      NOT NULL DEFAULT 'A',
    street       VARCHAR(200),
    city         VARCHAR(100)
) CHARACTER SET utf8mb4;
