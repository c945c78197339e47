package io.graybridge.bridge.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/** Simulated v1 traffic on the example shop: new customers and orders, balance changes, deletes, key changes. */
final class ShopTraffic {
    private final DataSource v1;
    private final SplittableRandom random = new SplittableRandom(42);
    private long nextCustomer;
    private long nextOrder;
    private long rowChanges;
    private long transactions;
    private long keyChanges;

    ShopTraffic(DataSource v1, long customers, long orders) {
        this.v1 = v1;
        this.nextCustomer = customers + 1;
        this.nextOrder = orders + 1;
    }

    /** Seeds v1 with {@code customers} customers and {@code orders} orders in one transaction. */
    static void seed(DataSource v1, long customers, long orders) throws SQLException {
        try (Connection c = v1.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO shop_v1.customers (id, name, email, balance_cents, status, created_at)"
                            + " SELECT g, 'Customer ' || g, 'customer' || g || '@example.com', (g * 7919) % 100000,"
                            + " CASE WHEN g % 10 = 0 THEN 'I' ELSE 'A' END, timestamp '2026-01-01' + g * interval '1 minute'"
                            + " FROM generate_series(1, ?) g")) {
                ps.setLong(1, customers);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO shop_v1.orders (id, customer_id, total_cents, placed_at)"
                            + " SELECT g, 1 + (g * 31) % ?, 100 + (g * 104729) % 50000,"
                            + " timestamp '2026-02-01' + g * interval '1 second' FROM generate_series(1, ?) g")) {
                ps.setLong(1, customers);
                ps.setLong(2, orders);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /** Writes traffic for {@code millis} at about {@code perSecond} transactions a second. */
    void run(long millis, int perSecond) throws SQLException, InterruptedException {
        long end = System.currentTimeMillis() + millis;
        long pause = 1000L / perSecond;
        try (Connection c = v1.getConnection()) {
            c.setAutoCommit(false);
            while (System.currentTimeMillis() < end) {
                oneTransaction(c);
                c.commit();
                transactions++;
                Thread.sleep(pause);
            }
        }
    }

    private void oneTransaction(Connection c) throws SQLException {
        int kind = random.nextInt(10);
        if (kind < 3) {
            long id = nextCustomer++;
            rowChanges += update(c, "INSERT INTO shop_v1.customers (id, name, email, balance_cents) VALUES (?, ?, ?, ?)",
                    id, "New customer " + id, "new" + id + "@example.com", (long) random.nextInt(50_000));
        } else if (kind < 6) {
            long order = nextOrder++;
            rowChanges += update(c, "INSERT INTO shop_v1.orders (id, customer_id, total_cents) VALUES (?, ?, ?)",
                    order, 1 + (long) random.nextInt((int) Math.max(1, nextCustomer - 1)), 100L + random.nextInt(90_000));
        } else if (kind < 8) {
            rowChanges += update(c, "UPDATE shop_v1.customers SET balance_cents = balance_cents + ? WHERE id = ?",
                    (long) random.nextInt(10_000), 1 + (long) random.nextInt((int) Math.max(1, nextCustomer - 1)));
        } else if (kind < 9) {
            rowChanges += update(c, "UPDATE shop_v1.customers SET status = CASE status WHEN 'A' THEN 'I' ELSE 'A' END"
                    + " WHERE id = ?", 1 + (long) random.nextInt((int) Math.max(1, nextCustomer - 1)));
        } else if (random.nextBoolean()) {
            rowChanges += update(c, "DELETE FROM shop_v1.orders WHERE id = ?", 1 + (long) random.nextInt((int) (nextOrder - 1)));
        } else {
            long from = 1 + random.nextInt((int) (nextOrder - 1));
            int moved = update(c, "UPDATE shop_v1.orders SET id = ? WHERE id = ?", nextOrder++, from);
            rowChanges += moved;
            keyChanges += moved;
        }
    }

    /**
     * The new service's traffic on v2 for {@code millis}: new clients (ids from 1,000,000 up) and name and
     * balance changes of existing ones; returns the row changes it made.
     */
    static long runV2(DataSource v2, long customers, long millis, int perSecond) throws SQLException, InterruptedException {
        return runV2(v2, customers, millis, perSecond, 1_000_000);
    }

    /** As above, its new clients numbered from {@code firstNewId}. */
    static long runV2(DataSource v2, long customers, long millis, int perSecond, long firstNewId)
            throws SQLException, InterruptedException {
        SplittableRandom random = new SplittableRandom(firstNewId);
        long end = System.currentTimeMillis() + millis;
        long next = firstNewId;
        long changes = 0;
        try (Connection c = v2.getConnection()) {
            while (System.currentTimeMillis() < end) {
                if (random.nextInt(3) == 0) {
                    changes += update(c, "INSERT INTO shop_v2.clients (id, full_name, email, balance) VALUES (?, ?, ?, ?)",
                            next, "V2 client " + next, "v2-" + next + "@example.com",
                            java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                    next++;
                } else {
                    changes += update(c, "UPDATE shop_v2.clients SET full_name = full_name || ' (v2)', balance = ?"
                            + " WHERE id = ?", java.math.BigDecimal.valueOf(random.nextInt(100_000), 2),
                            2 + (long) random.nextInt((int) Math.max(1, customers - 2)));
                }
                Thread.sleep(1000L / perSecond);
            }
        }
        return changes;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    long rowChanges() {
        return rowChanges;
    }

    long transactions() {
        return transactions;
    }

    long keyChanges() {
        return keyChanges;
    }
}
