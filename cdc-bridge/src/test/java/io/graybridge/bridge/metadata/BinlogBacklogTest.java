package io.graybridge.bridge.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.metadata.BinlogBacklog.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which binlog transactions after a lane's position it still has to apply, as SHOW BINLOG EVENTS lists them. */
class BinlogBacklogTest {
    private static final Set<String> TABLES = Set.of("customers", "orders");

    private static List<Event> txn(String... tables) {
        List<Event> out = new ArrayList<>();
        out.add(new Event("Gtid", 0, "BEGIN GTID 0-1-7"));
        for (String t : tables) {
            out.add(new Event("Table_map", 0, "table_id: 42 (" + t + ")"));
            out.add(new Event("Write_rows_v1", 0, "table_id: 42 flags: STMT_END_F"));
        }
        out.add(new Event("Xid", 0, "COMMIT /* xid=113 */"));
        return out;
    }

    @SafeVarargs
    private static long pending(boolean skipFirst, List<Event>... txns) {
        List<Event> all = new ArrayList<>();
        for (List<Event> t : txns) {
            all.addAll(t);
        }
        return BinlogBacklog.pending(all, "shop_v1", TABLES, "meta", skipFirst);
    }

    @Test
    void shouldCountOnlyTransactionsOnTheMappedTablesOfTheSourceDatabase() {
        assertThat(pending(false, txn("shop_v1.customers"), txn("other.customers"), txn("shop_v1.products"),
                txn("shop_v1.orders", "shop_v1.customers"))).isEqualTo(2);
    }

    @Test
    void shouldSkipTheTransactionOfAStreamedPositionWhichWasAppliedAlready() {
        assertThat(pending(true, txn("shop_v1.customers"))).isZero();
        assertThat(pending(true, txn("shop_v1.customers"), txn("shop_v1.orders"))).isEqualTo(1);
        assertThat(pending(false, txn("shop_v1.customers"))).as("a snapshot's position starts the next one").isEqualTo(1);
    }

    @Test
    void shouldNotCountTheBridgesOwnWritesWhichTheLoopGuardDrops() {
        assertThat(pending(false, txn("meta.tx_marker", "shop_v1.customers"), txn("meta.lane_progress"))).isZero();
    }

    @Test
    void shouldIgnoreDdlAndTellTheCaughtUpState() {
        List<Event> ddl = List.of(new Event("Gtid", 0, "GTID 0-1-8"),
                new Event("Query", 0, "use `shop_v1`; CREATE TABLE x (id int)"));
        assertThat(pending(false, ddl, txn("shop_v1.orders"))).isEqualTo(1);
        assertThat(new BinlogBacklog(10, 0, true, null).caughtUp()).isTrue();
        assertThat(new BinlogBacklog(10, 0, false, null).caughtUp()).as("scan cut short").isFalse();
        assertThat(new BinlogBacklog(-1, -1, false, "purged").caughtUp()).isFalse();
    }

    /** A MySQL 8 transaction as SHOW BINLOG EVENTS lists it: GTID, a BEGIN query, rows, Xid. */
    private static List<Event> mysqlTxn(String... tables) {
        List<Event> out = new ArrayList<>();
        out.add(new Event("Gtid", 0, "SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'"));
        out.add(new Event("Query", 0, "BEGIN"));
        for (String t : tables) {
            out.add(new Event("Table_map", 0, "table_id: 92 (" + t + ")"));
            out.add(new Event("Update_rows", 0, "table_id: 92 flags: STMT_END_F"));
        }
        out.add(new Event("Xid", 0, "COMMIT /* xid=41 */"));
        return out;
    }

    @Test
    void shouldCountMySqlTransactionsTheSameWay() {
        List<Event> ddl = List.of(new Event("Gtid", 0, "SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:24'"),
                new Event("Query", 0, "use `shop_v1`; ALTER TABLE orders ADD COLUMN note TEXT"));
        assertThat(pending(false, mysqlTxn("shop_v1.customers"), ddl, mysqlTxn("meta.tx_marker", "shop_v1.orders"),
                mysqlTxn("shop_v1.orders"), mysqlTxn("other.orders"))).isEqualTo(2);
        assertThat(pending(true, mysqlTxn("shop_v1.customers"), mysqlTxn("shop_v1.orders"))).isEqualTo(1);
    }
}
