package io.graybridge.it.support;

import io.graybridge.bridge.config.BridgeConfig;
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
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(shop.jdbcUrl());
        ds.setUser(shop.server().user());
        ds.setPassword(shop.server().password());
        List<TableComparison> out = new ArrayList<>();
        for (TableMapping m : config.tables()) {
            out.add(TableComparator.compare(m,
                    new TableComparator.SideTable(ds, config.v1().schema(), m.v1Table(), List.of("id")),
                    new TableComparator.SideTable(ds, config.v2().schema(), m.v2Table(), List.of("id")), 10));
        }
        return out;
    }

    public static boolean clean(ShopFixture shop, BridgeConfig config) {
        return all(shop, config).stream().allMatch(TableComparison::clean);
    }
}
