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

-- v1's suppliers table, split in two: the supplier (its contact name split into first and last name,
-- its status code spelled out) and its address, sharing the supplier's key.
CREATE TABLE shop_v2.suppliers (
    id         bigint PRIMARY KEY,
    first_name text NOT NULL,
    last_name  text,
    status     text NOT NULL DEFAULT 'active'
);

CREATE TABLE shop_v2.supplier_addresses (
    supplier_id bigint PRIMARY KEY REFERENCES shop_v2.suppliers (id),
    street      text,
    city        text
);

-- v1's products and product_stock, merged into one table sharing the product's key.
CREATE TABLE shop_v2.products (
    id        bigint        PRIMARY KEY,
    name      text          NOT NULL,
    price     numeric(12,2) NOT NULL,
    stock     integer,
    warehouse text
);

ALTER TABLE shop_v2.clients REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.orders REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.suppliers REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.supplier_addresses REPLICA IDENTITY FULL;
ALTER TABLE shop_v2.products REPLICA IDENTITY FULL;
