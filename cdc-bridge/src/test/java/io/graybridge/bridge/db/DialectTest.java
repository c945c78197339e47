package io.graybridge.bridge.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.GrayBridgeException;
import org.junit.jupiter.api.Test;

/** Which engine a JDBC URL names, and what each engine shares with the others. */
class DialectTest {

    @Test
    void shouldRecogniseEachEngineFromItsUrl() {
        assertThat(Dialect.forUrl("jdbc:postgresql://db:5432/shop")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.forUrl("jdbc:mariadb://db:3306/shop_v1")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.forUrl("jdbc:mysql://db:3306/shop_v1?sslMode=REQUIRED")).isEqualTo(Dialect.MYSQL);
        assertThat(Dialect.forUrl("jdbc:mysql://[::1]:3306/shop_v1")).isEqualTo(Dialect.MYSQL);
    }

    @Test
    void shouldTreatMariaDbAndMySqlAsOneFamilyWithTheirOwnMigrations() {
        assertThat(Dialect.MARIADB.mysqlFamily()).isTrue();
        assertThat(Dialect.MYSQL.mysqlFamily()).isTrue();
        assertThat(Dialect.POSTGRESQL.mysqlFamily()).isFalse();
        assertThat(Dialect.MYSQL.quote("or`der")).isEqualTo("`or``der`");
        assertThat(Dialect.MYSQL.flywayFolder()).isEqualTo("mysql");
        assertThat(Dialect.MYSQL.displayName()).isEqualTo("MySQL");
    }

    @Test
    void shouldRefuseMySqlUrlsNamingSeveralServersWithoutShowingParameters() {
        for (String url : new String[] {"jdbc:mysql:loadbalance://a:3306,b:3306/shop", "jdbc:mysql:replication://a,b/shop",
                "jdbc:mysql+srv://_mysql._tcp.example/shop", "jdbc:mysql://a:3306,b:3306/shop?password=secret",
                "jdbc:mysql://(host=a,port=3306)/shop"}) {
            assertThatThrownBy(() -> Dialect.forUrl(url)).as(url)
                    .isInstanceOf(GrayBridgeException.class)
                    .hasMessageContaining("one server")
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void shouldRefuseOtherEnginesNamingTheSupportedOnes() {
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:oracle:thin:@db:1521/x"))
                .hasMessageContaining("jdbc:postgresql://, jdbc:mariadb:// and jdbc:mysql://");
    }

    @Test
    void shouldAskForTheBinlogPositionWithTheStatementTheServerVersionKnows() {
        assertThat(BinlogStatus.statement(Dialect.MARIADB, 10, 11)).isEqualTo("SHOW MASTER STATUS");
        assertThat(BinlogStatus.statement(Dialect.MYSQL, 8, 0)).isEqualTo("SHOW MASTER STATUS");
        assertThat(BinlogStatus.statement(Dialect.MYSQL, 8, 2)).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(BinlogStatus.statement(Dialect.MYSQL, 8, 4)).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(BinlogStatus.statement(Dialect.MYSQL, 9, 0)).isEqualTo("SHOW BINARY LOG STATUS");
    }
}
