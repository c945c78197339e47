package io.graybridge.bridge.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.bridge.db.ColumnInfo;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.TableInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementsTest {
    private static final TableInfo CLIENTS = new TableInfo("shop", "clients", List.of(
            new ColumnInfo("id", "bigint(20)", false, false),
            new ColumnInfo("order", "json", true, false),
            new ColumnInfo("full_name", "text", false, false)), List.of("id"), true);
    private static final TableInfo LINES = new TableInfo("shop", "lines", List.of(
            new ColumnInfo("order_id", "bigint(20)", false, false),
            new ColumnInfo("line", "int(11)", false, false)), List.of("order_id", "line"), true);

    @Test
    void shouldWriteMariaDbStatementsWithBackticksAndNoCasts() {
        assertThat(Statements.insert(Dialect.MARIADB, CLIENTS, List.of("id", "order")))
                .isEqualTo("INSERT INTO `shop`.`clients` (`id`, `order`) VALUES (?, ?)")
                .as("never an upsert: ON DUPLICATE KEY UPDATE fires on any unique index").doesNotContain("DUPLICATE");
        assertThat(Statements.update(Dialect.MARIADB, CLIENTS, List.of("order")))
                .isEqualTo("UPDATE `shop`.`clients` SET `order` = ? WHERE `id` = ?");
        assertThat(Statements.delete(Dialect.MARIADB, LINES))
                .isEqualTo("DELETE FROM `shop`.`lines` WHERE `order_id` = ? AND `line` = ?");
    }

    @Test
    void shouldBindBitDigitsAsANumberOnMariaDbAndCastThemOnPostgres() {
        TableInfo flags = new TableInfo("shop", "flags", List.of(new ColumnInfo("id", "bigint(20)", false, false),
                new ColumnInfo("bits", "bit(10)", true, false)), List.of("id"), true);
        assertThat(Statements.update(Dialect.MARIADB, flags, List.of("bits")))
                .isEqualTo("UPDATE `shop`.`flags` SET `bits` = CONV(?, 2, 10) + 0 WHERE `id` = ?");
        TableInfo pgFlags = new TableInfo("shop", "flags", List.of(new ColumnInfo("id", "bigint", false, false),
                new ColumnInfo("bits", "bit(10)", true, false)), List.of("id"), true);
        assertThat(Statements.update(Dialect.POSTGRESQL, pgFlags, List.of("bits")))
                .isEqualTo("UPDATE \"shop\".\"flags\" SET \"bits\" = CAST(? AS bit(10)) WHERE \"id\" = ?");
    }

    @Test
    void shouldLockMariaDbRowsByKeyRangeOrRowConstructor() {
        assertThat(Statements.lockRows(Dialect.MARIADB, CLIENTS, 3, false))
                .isEqualTo("SELECT * FROM `shop`.`clients` WHERE `id` IN (?, ?, ?) FOR UPDATE");
        assertThat(Statements.lockRows(Dialect.MARIADB, LINES, 2, false))
                .isEqualTo("SELECT * FROM `shop`.`lines` WHERE (`order_id`, `line`) IN ((?, ?), (?, ?)) FOR UPDATE");
    }

    @Test
    void shouldRefuseCommitTimesOnMariaDb() {
        assertThatThrownBy(() -> Statements.lockRows(Dialect.MARIADB, CLIENTS, 1, true))
                .hasMessageContaining("MariaDB keeps no commit time");
    }

    @Test
    void shouldKeepPostgreSqlCastsForTypesABoundStringCannotReach() {
        TableInfo pg = new TableInfo("shop", "clients", List.of(new ColumnInfo("id", "bigint", false, false),
                new ColumnInfo("order", "jsonb", true, false)), List.of("id"), true);
        assertThat(Statements.insert(Dialect.POSTGRESQL, pg, List.of("id", "order")))
                .isEqualTo("INSERT INTO \"shop\".\"clients\" (\"id\", \"order\") VALUES (?, CAST(? AS jsonb))");
    }
}
