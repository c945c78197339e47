package io.graybridge.it.support;

import io.graybridge.reconcile.TableComparator.SideTable;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A shop whose v2 already holds v1's rows translated (as after a backfill), for reconciler suites. */
public final class DriftFixture {
    private DriftFixture() {}

    /** Seeds {@code customers} customers and two orders each on v1, and the same rows translated on v2. */
    public static void seed(ShopFixture shop, int customers) {
        shop.execute("INSERT INTO shop_v1.customers (id, name, email, balance_cents, status, created_at)"
                + " SELECT g, 'Customer ' || g, 'c' || g || '@example.com', g * 7, CASE WHEN g % 3 = 0 THEN 'I' ELSE 'A' END,"
                + " timestamp '2026-01-01' + g * interval '1 minute' FROM generate_series(1, " + customers + ") g");
        shop.execute("INSERT INTO shop_v1.orders (id, customer_id, total_cents, placed_at)"
                + " SELECT g, (g + 1) / 2, g * 3, timestamp '2026-02-01' + g * interval '1 second'"
                + " FROM generate_series(1, " + (2 * customers) + ") g");
        shop.execute("INSERT INTO shop_v2.clients (id, full_name, email, balance, status, tier, created_at)"
                + " SELECT id, name, email, balance_cents / 100.0, status, 'standard', created_at FROM shop_v1.customers");
        shop.execute("INSERT INTO shop_v2.orders (id, customer_id, total, placed_at)"
                + " SELECT id, customer_id, total_cents / 100.0, placed_at FROM shop_v1.orders");
    }

    public static DataSource dataSource(ShopFixture shop) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(shop.jdbcUrl());
        ds.setUser(shop.server().user());
        ds.setPassword(shop.server().password());
        return ds;
    }

    public static SideTable side(ShopFixture shop, String schema, String table) {
        return new SideTable(dataSource(shop), schema, table, List.of("id"));
    }

    /** A bridge config for the shop with the password written in (so an in-process CLI needs no environment). */
    public static Path config(ShopFixture shop, String extra) {
        return Cli.withInlinePassword(shop, shop.writeConfig(""), "drift.yaml", extra);
    }
}
