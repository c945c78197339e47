-- The schema the new service (v2) knows, for config/mappings/examples.yaml.
CREATE SCHEMA IF NOT EXISTS examples_v2;

CREATE TYPE examples_v2.customer_status AS ENUM ('active', 'inactive');

CREATE TABLE examples_v2.customers (
    id            bigint PRIMARY KEY,
    first_name    text          NOT NULL,
    last_name     text,
    email         text,
    status        examples_v2.customer_status NOT NULL DEFAULT 'active',
    vip           char(1)       NOT NULL DEFAULT 'N',
    balance       numeric(14,2) NOT NULL DEFAULT 0,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    tier          text          NOT NULL DEFAULT 'standard', -- new in v2, with a default
    display_name  text                                       -- new in v2, computed
);

CREATE TABLE examples_v2.customer_addresses (
    customer_id   bigint PRIMARY KEY REFERENCES examples_v2.customers (id) ON DELETE CASCADE,
    street        text,
    city          text
);

CREATE TABLE examples_v2.products (
    id            integer PRIMARY KEY,
    title         text          NOT NULL,
    price         numeric(14,2) NOT NULL,
    attributes    jsonb,
    discontinued  boolean       NOT NULL DEFAULT false,
    sku           text
);

CREATE TABLE examples_v2.stores (
    id            integer PRIMARY KEY,
    address       text,
    open_sundays  boolean,
    manager       text,
    opened_at     timestamp
);

CREATE TABLE examples_v2.accounts (
    id            bigint PRIMARY KEY,
    login         text NOT NULL,
    theme         text,
    newsletter    boolean NOT NULL DEFAULT false
);

CREATE TABLE examples_v2.audit_log (
    id            bigint PRIMARY KEY,
    message       text
);
