package io.graybridge.it.support;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparison;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/** Row-by-row comparison of both sides of a shop fixture through the bridge's mapping. */
public final class Compare {
    private Compare() {}

    public static List<TableComparison> all(ShopFixture shop, BridgeConfig config) {
        PGSimpleDataSource v1 = dataSource(shop, Side.V1);
        PGSimpleDataSource v2 = dataSource(shop, Side.V2);
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
    private static List<String> key(PGSimpleDataSource ds, String schema, String table) {
        try (java.sql.Connection c = ds.getConnection();
                java.sql.ResultSet rs = c.getMetaData().getPrimaryKeys(null, schema, table)) {
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
