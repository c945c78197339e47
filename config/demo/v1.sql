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

-- Suppliers: one table here; v2 splits it into suppliers and supplier_addresses (config/mappings/shop.yaml).
CREATE TABLE shop_v1.suppliers (
    id           bigint PRIMARY KEY,
    contact_name text    NOT NULL,
    status       char(1) NOT NULL DEFAULT 'A',
    street       text,
    city         text
);

-- Products: a product and its stock in two tables here; v2 merges them into one products table
-- (config/mappings/shop.yaml). A stock row follows its product's key and goes with it.
CREATE TABLE shop_v1.products (
    id          bigint PRIMARY KEY,
    name        text   NOT NULL,
    price_cents bigint NOT NULL
);

CREATE TABLE shop_v1.product_stock (
    product_id bigint PRIMARY KEY REFERENCES shop_v1.products (id) ON UPDATE CASCADE ON DELETE CASCADE,
    quantity   integer,
    warehouse  text
);

-- Full before images, so the bridge sees what every update and delete changed.
ALTER TABLE shop_v1.customers REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.orders REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.suppliers REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.products REPLICA IDENTITY FULL;
ALTER TABLE shop_v1.product_stock REPLICA IDENTITY FULL;
