package io.graybridge.bridge.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.config.Secret;
import io.graybridge.bridge.config.SideConfig;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * The Debezium properties the PostgreSQL capture hands its connector, checked by the connector's own configuration
 * definition (no server needed).
 */
class PostgresCaptureConfigTest {

    private static PostgresCapture capture(int batchSize) {
        LaneConfig lane = new LaneConfig(Direction.FORWARD, true, "shop_v1_to_v2", "shop_v1_to_v2_pub",
                LaneConfig.SnapshotMode.INITIAL, batchSize, 100);
        SideConfig side = new SideConfig(Side.V1, "jdbc:postgresql://db.example:5433/shop?sslmode=verify-full",
                "graybridge", Secret.of("pw"), "shop_v1", 2);
        return new PostgresCapture("shop", "shop-v1-to-v2", side, lane, List.of("customers", "orders"), batch -> {},
                Map::of);
    }

    private static Map<String, String> errors(Properties p) {
        Map<String, ConfigValue> validated = Configuration.from(p).validate(PostgresConnectorConfig.ALL_FIELDS);
        return validated.values().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
    }

    @Test
    void shouldGiveThePostgresConnectorAValidConfigurationForTheSideAndLane() {
        Properties p = capture(500).engineProperties();
        assertThat(errors(p)).isEmpty();
        assertThat(p.getProperty("database.hostname")).isEqualTo("db.example");
        assertThat(p.getProperty("database.port")).isEqualTo("5433");
        assertThat(p.getProperty("database.dbname")).isEqualTo("shop");
        assertThat(p.getProperty("database.sslmode")).isEqualTo("verify-full");
        assertThat(p.getProperty("slot.name")).isEqualTo("shop_v1_to_v2");
        assertThat(p.getProperty("table.include.list")).isEqualTo("\\Qshop_v1.customers\\E,\\Qshop_v1.orders\\E");
        assertThat(p.getProperty("provide.transaction.metadata")).isEqualTo("true");
    }

    @Test
    void shouldAskForThreeRecordsPerRowChangeAndCapTheRowsOfABatchAtBatchSize() {
        for (int batchSize : new int[] {1, 20, 1000, 5000, 100_000}) {
            PostgresCapture capture = capture(batchSize);
            Properties p = capture.engineProperties();
            // BEGIN and END count toward Debezium's record limit: batch-size single-row transactions are 3x records
            assertThat(p.getProperty("max.batch.size")).as("batch-size %s", batchSize)
                    .isEqualTo(String.valueOf(batchSize * 3));
            assertThat(Integer.parseInt(p.getProperty("max.queue.size"))).as("batch-size %s", batchSize)
                    .isGreaterThan(batchSize * 3)
                    .isLessThanOrEqualTo(Math.max(batchSize * 6, 8192));
            assertThat(errors(p)).as("batch-size %s: the connector takes the queue and batch sizes", batchSize)
                    .isEmpty();
            assertThat(capture.rowsPerBatch()).isEqualTo(batchSize);
        }
    }
}
