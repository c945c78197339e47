package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.config.Configuration;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.Secret;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The Debezium properties the binlog captures hand their connector, checked by that connector's own configuration
 * definition (no server needed), and the MySQL and MariaDB connectors and drivers side by side on one classpath (both
 * connectors build on one debezium-connector-binlog).
 */
class BinlogCaptureConfigTest {
    private static final LaneConfig LANE = new LaneConfig(Direction.FORWARD, true, "shop_v1_to_v2", null,
            LaneConfig.SnapshotMode.INITIAL, 500, 100);

    private static SideConfig side(String url) {
        return new SideConfig(Side.V1, url, "graybridge", Secret.of("pw"), "shop_v1", 2);
    }

    private static MySqlCapture mysql() {
        return new MySqlCapture("shop", "shop-v1-to-v2", side("jdbc:mysql://db.example:3307/shop_v1?sslMode=REQUIRED"),
                LANE, List.of("customers", "orders"), batch -> {}, Map::of, "graybridge");
    }

    private static Map<String, String> errors(Properties p, io.debezium.config.Field.Set fields) {
        Map<String, ConfigValue> validated = Configuration.from(p).validate(fields);
        return validated.values().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
    }

    @Test
    void shouldGiveTheMySqlConnectorAValidConfigurationForTheSideAndLane() {
        Properties p = mysql().engineProperties();
        assertThat(errors(p, io.debezium.connector.mysql.MySqlConnectorConfig.ALL_FIELDS)).isEmpty();
        assertThat(p.getProperty("connector.class")).isEqualTo(io.debezium.connector.mysql.MySqlConnector.class.getName());
        assertThat(p.getProperty("database.hostname")).isEqualTo("db.example");
        assertThat(p.getProperty("database.port")).isEqualTo("3307");
        assertThat(p.getProperty("database.include.list")).isEqualTo("\\Qshop_v1\\E,\\Qgraybridge\\E");
        assertThat(p.getProperty("table.include.list"))
                .isEqualTo("\\Qshop_v1.customers\\E,\\Qshop_v1.orders\\E,\\Qgraybridge.tx_marker\\E");
        assertThat(p.getProperty("provide.transaction.metadata")).isEqualTo("true");
        // Debezium's own sessions in UTC through Connector/J's options (MariaDB Connector/J's 'timezone' is not one)
        assertThat(p.getProperty("database.connectionTimeZone")).isEqualTo("UTC");
        assertThat(p.getProperty("database.forceConnectionTimeZoneToSession")).isEqualTo("true");
        assertThat(p.getProperty("database.timezone")).isNull();
        assertThat(p.getProperty(MetadataSchemaHistory.URL)).isEqualTo("jdbc:mysql://db.example:3307/graybridge");
        assertThat(p.getProperty(MetadataSchemaHistory.TABLE)).isEqualTo("`graybridge`.`schema_history`");
        assertThat(Long.parseLong(p.getProperty("database.server.id"))).isGreaterThanOrEqualTo(100_000L);
        // BEGIN and END count toward Debezium's record limit; the capture caps the rows at batch-size itself
        assertThat(p.getProperty("max.batch.size")).isEqualTo("1500");
        assertThat(Integer.parseInt(p.getProperty("max.queue.size"))).isGreaterThan(1500);
        assertThat(mysql().rowsPerBatch()).isEqualTo(500);
        // the URL's TLS reaches Debezium's connections, and its parameters the schema history's connection
        assertThat(p.getProperty("database.ssl.mode")).isEqualTo("required");
        assertThat(p.getProperty(MetadataSchemaHistory.driverKey("sslMode"))).isEqualTo("REQUIRED");
    }

    @Test
    void shouldGiveTheMariaDbConnectorTheUrlsTlsSettingsInItsOwnTerms() {
        Properties p = new MariaDbCapture("shop", "shop-v1-to-v2", side("jdbc:mariadb://db.example/shop_v1"
                + "?sslMode=VERIFY_IDENTITY&trustStore=/etc/gb/ca.p12&trustStorePassword=pw"), LANE, List.of("customers"),
                batch -> {}, Map::of, "graybridge").engineProperties();
        assertThat(errors(p, io.debezium.connector.mariadb.MariaDbConnectorConfig.ALL_FIELDS)).isEmpty();
        assertThat(p.getProperty("database.ssl.mode")).isEqualTo("verify-full");
        assertThat(p.getProperty("database.ssl.truststore")).isEqualTo("/etc/gb/ca.p12");
        assertThat(p.getProperty("database.ssl.truststore.password")).isEqualTo("pw");
        assertThat(p.getProperty(MetadataSchemaHistory.driverKey("trustStore"))).isEqualTo("/etc/gb/ca.p12");
        assertThat(p.getProperty(MetadataSchemaHistory.driverKey("trustStorePassword"))).isEqualTo("pw");
        assertThat(io.debezium.config.Configuration.from(p).withMaskedPasswords().toString())
                .as("the passwords Debezium logs masked").doesNotContain("=pw");
    }

    @Test
    void shouldRefuseToBuildACaptureWhoseUrlHasTlsParametersDebeziumCannotTake() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MariaDbCapture("shop", "shop-v1-to-v2",
                side("jdbc:mariadb://db.example/shop_v1?sslMode=verify-full&serverSslCert=/etc/gb/ca.pem"), LANE,
                List.of("customers"), batch -> {}, Map::of, "graybridge"))
                .isInstanceOf(io.graybridge.error.GrayBridgeException.class)
                .hasMessageContaining("'serverSslCert'");
    }

    @Test
    void shouldKeepTheMariaDbConnectorsConfigurationValidBesideIt() {
        Properties p = new MariaDbCapture("shop", "shop-v1-to-v2", side("jdbc:mariadb://db.example/shop_v1"), LANE,
                List.of("customers"), batch -> {}, Map::of, "graybridge").engineProperties();
        assertThat(errors(p, io.debezium.connector.mariadb.MariaDbConnectorConfig.ALL_FIELDS)).isEmpty();
        assertThat(p.getProperty("database.port")).isEqualTo("3306");
        assertThat(p.getProperty("database.timezone")).isEqualTo("UTC");
        assertThat(p.getProperty(MetadataSchemaHistory.URL)).isEqualTo("jdbc:mariadb://db.example:3306/graybridge");
    }

    @Test
    void shouldLoadBothBinlogConnectorsAndBothDriversOnOneClasspath() throws Exception {
        assertThat(new io.debezium.connector.mysql.MySqlConnector().version()).isEqualTo("3.5.0.Final");
        assertThat(new io.debezium.connector.mariadb.MariaDbConnector().version()).isEqualTo("3.5.0.Final");
        assertThat(new io.debezium.connector.mysql.MySqlConnector().taskClass())
                .isNotEqualTo(new io.debezium.connector.mariadb.MariaDbConnector().taskClass());
        assertThat(DriverManager.getDriver("jdbc:mysql://db.example:3306/x").getClass().getName())
                .isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(DriverManager.getDriver("jdbc:mariadb://db.example:3306/x").getClass().getName())
                .startsWith("org.mariadb.jdbc.");
    }
}
