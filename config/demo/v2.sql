-- The example shop's schema as the new service (v2) knows it: customers became clients, names and
-- money columns changed, and clients gained a tier. Used by `graybridge demo`.
CREATE SCHEMA IF NOT EXISTS shop_v2;

CREATE TABLE shop_v2.clients (
    id         bigint PRIMARY KEY,
    full_name  text          NOT NULL,
    email      text,
    balance    numeric(12,2) NOT NULL DEFAULT 0,
    status     char(1)       NOT NULL DEFAULT 'A',
    tier       text          NOT NULL DEFAULT 'standard',
    created_at timestamp     NOT NULL DEFAULT now()
);

CREATE TABLE shop_v2.orders (
    id          bigint PRIMARY KEY,
    customer_id bigint        NOT NULL,
    total       numeric(12,2) NOT NULL,
    placed_at   timestamp     NOT NULL DEFAULT now()
);

ALTER TABLE shop_v2.clients REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.orders REPLICA IDENTITY FULL;
