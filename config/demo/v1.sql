-- The example shop's schema as the old service (v1) knows it. Used by `graybridge demo`.
CREATE SCHEMA IF NOT EXISTS shop_v1;

CREATE TABLE shop_v1.customers (
    id            bigint PRIMARY KEY,
    name          text      NOT NULL,
    email         text,
    balance_cents bigint    NOT NULL DEFAULT 0,
    status        char(1)   NOT NULL DEFAULT 'A',
    created_at    timestamp NOT NULL DEFAULT now()
);

CREATE TABLE shop_v1.orders (
    id          bigint PRIMARY KEY,
    customer_id bigint    NOT NULL,
    total_cents bigint    NOT NULL,
    placed_at   timestamp NOT NULL DEFAULT now()
);

-- Full before images, so the bridge sees what every update and delete changed.
ALTER TABLE shop_v1.customers REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.orders REPLICA IDENTITY FULL;
