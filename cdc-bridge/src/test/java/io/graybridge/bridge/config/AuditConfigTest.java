package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graybridge.error.ProblemsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditConfigTest {
    private static final String BASE = ConfigLoaderTest.MINIMAL + """
            report:
              masked-columns: [customers.email]
            """;

    @TempDir
    Path dir;

    private BridgeConfig load(String audit, Map<String, String> env) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("bridge.yaml"), BASE + audit), env);
    }

    @Test
    void shouldLeaveAuditOffUnlessBootstrapServersAreSet() throws IOException {
        assertThat(load("", Map.of()).audit().enabled()).isFalse();
        assertThat(load("audit:\n  bootstrap-servers: ${GB_KAFKA:-}\n", Map.of()).audit().enabled()).isFalse();
    }

    @Test
    void shouldUseTheDefaultTopicsAndTheReportsMaskedColumns() throws IOException {
        AuditConfig a = load("audit:\n  bootstrap-servers: k1:9092,k2:9092\n", Map.of()).audit();

        assertThat(a.enabled()).isTrue();
        assertThat(a.changesTopic()).isEqualTo("graybridge.audit.changes");
        assertThat(a.conflictsTopic()).isEqualTo("graybridge.audit.conflicts");
        assertThat(a.lifecycleTopic()).isEqualTo("graybridge.audit.lifecycle");
        assertThat(a.partitions()).isNull();
        assertThat(a.maskedColumns()).containsExactly("customers.email");
        assertThat(a.masking()).isEqualTo(AuditConfig.Masking.MASK);
    }

    @Test
    void shouldRefuseHashingWithoutASaltAndSaslWithoutCredentials() {
        assertThatThrownBy(() -> load("audit:\n  bootstrap-servers: k:9092\n  masking: hash\n"
                        + "  security-protocol: sasl-ssl\n", Map.of()))
                .isInstanceOf(ProblemsException.class)
                .hasMessageContaining("'audit.masking: hash' needs 'audit.hash-salt'")
                .hasMessageContaining("needs audit.sasl-username and audit.sasl-password")
                .hasMessageContaining("bridge.yaml:");
    }

    @Test
    void shouldPassSaslToKafkaButNeverPrintTheSecrets() throws IOException {
        BridgeConfig cfg = load("""
                audit:
                  bootstrap-servers: k:9093
                  security-protocol: sasl-ssl
                  sasl-mechanism: SCRAM-SHA-512
                  sasl-username: graybridge
                  sasl-password: ${KAFKA_PW}
                  masking: hash
                  hash-salt: ${SALT}
                """, Map.of("KAFKA_PW", "kafka-secret-1", "SALT", "salt-secret-2"));

        Map<String, Object> props = cfg.audit().security().clientProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat((String) props.get("sasl.jaas.config")).contains("ScramLoginModule", "username=\"graybridge\"",
                "password=\"kafka-secret-1\"");
        String described = ConfigLoader.describeEffective(cfg);
        assertThat(described).contains("sasl-password: ****", "hash-salt: ****", "security-protocol: sasl-ssl")
                .doesNotContain("kafka-secret-1", "salt-secret-2");
        assertThat(cfg.toString()).doesNotContain("kafka-secret-1", "salt-secret-2");
    }
}
