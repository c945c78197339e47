-- The schema the old service (v1) knows, for config/mappings/examples.yaml: one example of every
-- rule of the mapping language. Checked by `graybridge mappings check` (MappingsCheckIT).
CREATE SCHEMA IF NOT EXISTS examples_v1;

CREATE TABLE examples_v1.customers (      -- split into v2 customers + customer_addresses
    id            bigint PRIMARY KEY,
    name          text      NOT NULL,     -- split into first_name + last_name
    email         text,                   -- same on both sides
    status        char(1)   NOT NULL DEFAULT 'A',   -- value map to an enum
    vip           boolean   NOT NULL DEFAULT false, -- boolean -> 'Y'/'N'
    balance_cents bigint    NOT NULL DEFAULT 0,     -- cents -> decimal
    legacy_code   text,                   -- dropped in v2
    created_at    timestamp NOT NULL DEFAULT now(), -- wall-clock Paris time -> timestamptz
    street        text,                   -- moved to v2 customer_addresses
    city          text
);

CREATE TABLE examples_v1.products (
    id            integer PRIMARY KEY,
    title         text     NOT NULL,
    price_cents   bigint   NOT NULL,      -- computed into a decimal price, with an inverse
    color         text,                   -- packed into v2 attributes (JSON)
    size          text,
    discontinued  smallint NOT NULL DEFAULT 0,      -- 0/1 -> boolean
    sku_number    bigint                  -- integer -> text
);

CREATE TABLE examples_v1.stores (
    id            integer PRIMARY KEY,
    street        text,                   -- merged into v2 address
    city          text,
    settings      text,                   -- JSON text unpacked into v2 columns
    opened_at     timestamptz             -- -> timestamp in UTC
);

CREATE TABLE examples_v1.accounts (       -- merged with account_settings into v2 accounts
    id            bigint PRIMARY KEY,
    login         text NOT NULL
);

CREATE TABLE examples_v1.account_settings (
    account_id    bigint PRIMARY KEY,
    theme         text,
    newsletter    char(1) NOT NULL DEFAULT 'N'      -- 'T'/'F'... here 'Y'/'N' -> boolean
);

CREATE TABLE examples_v1.audit_log (      -- translated by a Java TableTranslator (the built-in identity)
    id            bigint PRIMARY KEY,
    message       text
);
