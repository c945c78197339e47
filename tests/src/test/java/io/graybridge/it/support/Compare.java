package io.graybridge.it.support;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparison;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Row-by-row comparison of both sides of a shop fixture through the bridge's mapping (the reconciler's). */
public final class Compare {
    private Compare() {}

    public static List<TableComparison> all(ShopFixture shop, BridgeConfig config) {
        return all(dataSource(shop, Side.V1), dataSource(shop, Side.V2), config);
    }

    /**
     * Whether both sides of an engine shop agree: through the reconciler where both are PostgreSQL (it reads
     * PostgreSQL only), otherwise by the shop's customers and orders read on each side in v1's shape ({@link
     * EngineShop#inSync}).
     */
    public static boolean clean(EngineShop shop, BridgeConfig config) {
        return reconcilable(shop) ? all(shop.dataSource(Side.V1), shop.dataSource(Side.V2), config).stream()
                .allMatch(TableComparison::clean) : shop.inSync();
    }

    /** What {@link #clean} compared, for an assertion message. */
    public static String describe(EngineShop shop, BridgeConfig config) {
        return reconcilable(shop) ? all(shop.dataSource(Side.V1), shop.dataSource(Side.V2), config).toString()
                : "v1 customers " + shop.customers(Side.V1).size() + ", v2 " + shop.customers(Side.V2).size()
                        + "; v1 orders " + shop.orders(Side.V1).size() + ", v2 " + shop.orders(Side.V2).size();
    }

    private static boolean reconcilable(EngineShop shop) {
        return shop.engines().v1() == EngineShop.Engine.POSTGRESQL && shop.engines().v2() == EngineShop.Engine.POSTGRESQL;
    }

    private static List<TableComparison> all(DataSource v1, DataSource v2, BridgeConfig config) {
        List<TableComparison> out = new ArrayList<>();
        for (TableMapping m : config.tables()) {
            out.add(TableComparator.compare(m,
                    new TableComparator.SideTable(v1, config.v1().schema(), m.v1Table(), key(v1, config.v1().schema(), m.v1Table())),
                    new TableComparator.SideTable(v2, config.v2().schema(), m.v2Table(), key(v2, config.v2().schema(), m.v2Table())),
                    10));
        }
        return out;
    }

    /** The table's primary key columns, in key order (a part of a split table has its own key name). */
    private static List<String> key(DataSource ds, String schema, String table) {
        try (java.sql.Connection c = ds.getConnection();
                // on MariaDB a schema is a database, which JDBC calls a catalog
                java.sql.ResultSet rs = c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL")
                        ? c.getMetaData().getPrimaryKeys(null, schema, table)
                        : c.getMetaData().getPrimaryKeys(schema, null, table)) {
            java.util.TreeMap<Integer, String> columns = new java.util.TreeMap<>();
            while (rs.next()) {
                columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
            return columns.isEmpty() ? List.of("id") : List.copyOf(columns.values());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the key of " + schema + "." + table + ": " + e.getMessage(), e);
        }
    }

    private static PGSimpleDataSource dataSource(ShopFixture shop, Side side) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(shop.jdbcUrl(side));
        ds.setUser(shop.server().user());
        ds.setPassword(shop.server().password());
        return ds;
    }

    public static boolean clean(ShopFixture shop, BridgeConfig config) {
        return all(shop, config).stream().allMatch(TableComparison::clean);
    }
}
