package io.graybridge.reconcile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.reconcile.Equivalence;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbTableTest {

    @Test
    void shouldNameMariaDbTypesAsPostgreSqlNamesTheSameKindOfValue() {
        assertThat(new Column("a", "bigint(20)", MariaDbTable.typeName("bigint", "bigint(20)"), false).kind())
                .isEqualTo(Column.Kind.INTEGER);
        assertThat(MariaDbTable.typeName("bigint", "bigint(20) unsigned")).isEqualTo("numeric");
        assertThat(MariaDbTable.typeName("tinyint", "tinyint(1)")).isEqualTo("bool");
        assertThat(MariaDbTable.typeName("tinyint", "tinyint(4)")).isEqualTo("int2");
        assertThat(MariaDbTable.typeName("datetime", "datetime(6)")).isEqualTo("timestamp");
        assertThat(MariaDbTable.typeName("timestamp", "timestamp(6)")).isEqualTo("timestamptz");
        assertThat(MariaDbTable.typeName("longtext", "longtext")).isEqualTo("text");
        assertThat(MariaDbTable.typeName("char", "char(1)")).isEqualTo("bpchar");
        assertThat(MariaDbTable.typeName("varbinary", "varbinary(16)")).isEqualTo("bytea");
        // a PostgreSQL bigint and a MariaDB bigint share a canonical text, so pushdown-comparable on like engines
        assertThat(new Column("a", "bigint", "int8", false).comparableTextWith(
                new Column("a", "bigint(20)", MariaDbTable.typeName("bigint", "bigint(20)"), false))).isTrue();
    }

    @Test
    void shouldKeepNullApartFromEmptyAndDecimalScaleOutOfTheCanonicalText() {
        assertThat(MariaDbPushdown.token("`e`", Column.Kind.TEXT, Equivalence.STRICT))
                .isEqualTo("COALESCE(CONCAT(CHAR_LENGTH(`e`), ':', `e`), 'N')");
        assertThat(MariaDbPushdown.token("`e`", Column.Kind.TEXT, new Equivalence(true))).contains("NULLIF(`e`, '')");
        assertThat(MariaDbPushdown.canonicalText("`d`", Column.Kind.DECIMAL, Equivalence.STRICT))
                .contains("TRIM(TRAILING '0'").contains("LOCATE('.'");
        assertThat(MariaDbPushdown.literal("it's \\")).isEqualTo("'it''s \\\\'");
        assertThat(MariaDbPushdown.rowHash(List.of("a", "b"))).startsWith("CAST(CONV(LEFT(MD5(CONCAT_WS('|', a, b))");
    }
}
