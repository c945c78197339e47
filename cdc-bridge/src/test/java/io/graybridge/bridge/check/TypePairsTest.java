package io.graybridge.bridge.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.db.Dialect;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypePairsTest {
    private static Optional<String> mariaToPg(String maria, String pg) {
        return TypePairs.lossy(new TypePairs.Type(Dialect.MARIADB, maria, "utf8mb4"), new TypePairs.Type(Dialect.POSTGRESQL, pg, null));
    }

    private static Optional<String> pgToMaria(String pg, String maria, String charset) {
        return TypePairs.lossy(new TypePairs.Type(Dialect.POSTGRESQL, pg, null), new TypePairs.Type(Dialect.MARIADB, maria, charset));
    }

    @Test
    void shouldFindTheExactPairsOfTheReadmeTable() {
        assertThat(mariaToPg("tinyint(3) unsigned", "smallint")).isEmpty();
        assertThat(mariaToPg("smallint(5) unsigned", "integer")).isEmpty();
        assertThat(mariaToPg("int(10) unsigned", "bigint")).isEmpty();
        assertThat(mariaToPg("bigint(20) unsigned", "numeric(20,0)")).isEmpty();
        assertThat(pgToMaria("boolean", "tinyint(1)", null)).isEmpty();
        assertThat(mariaToPg("datetime(6)", "timestamp(6) without time zone")).isEmpty();
        assertThat(mariaToPg("timestamp(6)", "timestamp(6) with time zone")).isEmpty();
        assertThat(mariaToPg("decimal(20,6)", "numeric(20,6)")).isEmpty();
        assertThat(mariaToPg("set('a','b','c d')", "text[]")).isEmpty();
        assertThat(mariaToPg("enum('happy','sad')", "text")).isEmpty();
        assertThat(mariaToPg("bit(10)", "bit(10)")).isEmpty();
        assertThat(mariaToPg("varbinary(16)", "bytea")).isEmpty();
        assertThat(mariaToPg("longtext", "text")).isEmpty();
        assertThat(pgToMaria("text", "longtext", "utf8mb4")).isEmpty();
    }

    @Test
    void shouldSayWhyAPairIsLossy() {
        assertThat(mariaToPg("bigint(20) unsigned", "bigint")).get().asString()
                .contains("values above 9223372036854775807 do not fit", "unsigned bigint needs numeric(20)");
        assertThat(mariaToPg("datetime(6)", "timestamp(3) without time zone")).get().asString()
                .contains("fractional seconds beyond 3 digits are cut");
        assertThat(mariaToPg("tinyint(1)", "boolean")).get().asString().contains("tinyint(1) holds -128..127");
        assertThat(pgToMaria("text", "varchar(50)", "latin1")).get().asString()
                .contains("longer than 50 characters", "utf8mb4 text into a latin1 column");
        assertThat(pgToMaria("text", "text", "utf8mb3")).get().asString().contains("4-byte UTF-8 such as emoji");
        assertThat(pgToMaria("character varying(100)", "set('a','b')", null)).get().asString()
                .contains("a SET holds only its members");
        assertThat(mariaToPg("set('a','b')", "character varying(2)")).get().asString().contains("longer than 2");
        assertThat(mariaToPg("set('a','b')", "character varying(3)")).as("'a,b' fits in 3").isEmpty();
        assertThat(pgToMaria("timestamp(6) without time zone", "datetime(6)", null)).get().asString()
                .contains("outside 1000..9999");
        assertThat(pgToMaria("timestamp(6) with time zone", "timestamp(6)", null)).get().asString().contains("1970..2038");
        assertThat(mariaToPg("decimal(20,6)", "numeric(20,2)")).get().asString().contains("6 decimal places cut to 2");
        assertThat(pgToMaria("numeric", "decimal(65,30)", null)).get().asString().contains("any scale");
        assertThat(pgToMaria("bytea", "binary(4)", null)).get().asString().contains("padded with zero bytes");
        assertThat(pgToMaria("bytea", "blob", null)).get().asString().contains("longer than 65535 bytes");
        assertThat(mariaToPg("longtext", "jsonb")).get().asString().contains("key order, spaces and duplicate keys");
        assertThat(pgToMaria("smallint", "tinyint(3) unsigned", null)).get().asString().contains("values above 255 do not fit");
    }

    @Test
    void shouldReadMariaDbLabelsAndGenerateTheValuesCaptureGives() {
        assertThat(TypePairs.labels("enum('happy','it''s ok')")).containsExactly("happy", "it's ok");
        assertThat(TypePairs.labels("set('a','c d')")).containsExactly("a", "c d");
        assertThat(TypePairs.labels("text")).isEqualTo(List.of());
        assertThat(TypePairs.generatorType(Dialect.MARIADB, "bigint(20) unsigned")).isEqualTo("numeric(20,0)");
        assertThat(TypePairs.generatorType(Dialect.MARIADB, "int(10) unsigned")).isEqualTo("bigint");
        assertThat(TypePairs.generatorType(Dialect.MARIADB, "datetime(6)")).isEqualTo("timestamp(6) without time zone");
        assertThat(TypePairs.generatorType(Dialect.MARIADB, "timestamp(6)")).isEqualTo("timestamp(6) with time zone");
        assertThat(TypePairs.generatorType(Dialect.POSTGRESQL, "bigint")).isEqualTo("bigint");
    }

    private static Optional<String> mysqlToPg(String mysql, String pg) {
        return TypePairs.lossy(new TypePairs.Type(Dialect.MYSQL, mysql, "utf8mb4"), new TypePairs.Type(Dialect.POSTGRESQL, pg, null));
    }

    private static Optional<String> pgToMysql(String pg, String mysql, String charset) {
        return TypePairs.lossy(new TypePairs.Type(Dialect.POSTGRESQL, pg, null), new TypePairs.Type(Dialect.MYSQL, mysql, charset));
    }

    /** MySQL 8.0.19+ names integer types without a display width (but tinyint(1)) and has a real JSON type. */
    @Test
    void shouldReadMySqlTypesAsTheMariaDbOnesWithoutDisplayWidths() {
        assertThat(mysqlToPg("int unsigned", "bigint")).isEmpty();
        assertThat(mysqlToPg("bigint unsigned", "numeric(20,0)")).isEmpty();
        assertThat(mysqlToPg("int unsigned", "integer")).get().asString().contains("values above 2147483647 do not fit");
        assertThat(pgToMysql("boolean", "tinyint(1)", null)).isEmpty();
        assertThat(mysqlToPg("tinyint(1)", "boolean")).get().asString().contains("tinyint(1) holds -128..127");
        assertThat(mysqlToPg("timestamp(6)", "timestamp(6) with time zone")).isEmpty();
        assertThat(pgToMysql("timestamp(6) with time zone", "timestamp(6)", null)).get().asString().contains("1970..2038");
        assertThat(mysqlToPg("decimal(12,2)", "numeric(12,2)")).isEmpty();
        assertThat(mysqlToPg("json", "jsonb")).isEmpty();
        assertThat(pgToMysql("text", "text", "utf8mb3")).get().asString().contains("4-byte UTF-8 such as emoji");
        assertThat(TypePairs.generatorType(Dialect.MYSQL, "int unsigned")).isEqualTo("bigint");
        assertThat(TypePairs.generatorType(Dialect.MYSQL, "datetime(6)")).isEqualTo("timestamp(6) without time zone");
    }
}
