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
                    new TableComparator.SideTable(v1, config.v1().schema(), m.v1Table(), List.of("id")),
                    new TableComparator.SideTable(v2, config.v2().schema(), m.v2Table(), List.of("id")), 10));
        }
        return out;
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
