-- GrayBridge docker-compose demo: the `shop` database with the old (shop_v1) and new (shop_v2) schema.
-- Run once by the postgres:15 image's entrypoint (mounted into /docker-entrypoint-initdb.d).
-- REPLICA IDENTITY FULL on every table: update and delete events carry the whole old row, which the
-- bridge needs to map and compare rows between the two shapes.

CREATE DATABASE shop;
\connect shop

CREATE SCHEMA shop_v1;
CREATE SCHEMA shop_v2;

-- v1: the schema the running release uses
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

-- v2: the schema the gray release brings (customers -> clients, cents -> numeric, new tier column)
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

ALTER TABLE shop_v1.customers REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.orders    REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.clients   REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.orders    REPLICA IDENTITY FULL;
