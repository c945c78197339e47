package io.graybridge.bridge.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the audit trail (section {@code audit} of the config file). Audit is off unless
 * {@code audit.bootstrap-servers} is set; then every applied change, conflict and lifecycle event is written
 * to the outbox table on the target side in the transaction that makes it, and a relay publishes it to Kafka.
 *
 * @param enabled whether audit events are written and relayed
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param changesTopic topic of {@code change.applied} events
 * @param conflictsTopic topic of {@code conflict.resolved} and {@code deadletter} events
 * @param lifecycleTopic topic of {@code phase.changed}, {@code gate.decided} and repair events
 * @param partitions partitions of a topic the relay creates, or {@code null} for the broker's default
 * @param replicationFactor replication factor of a topic the relay creates, or {@code null} for the broker's default
 * @param maskedColumns {@code table.column} entries (either side's names) whose values audit events hide
 * @param masking how they are hidden
 * @param hashSalt the salt of {@link Masking#HASH}
 * @param relayBatchSize most outbox rows the relay publishes per round
 * @param security Kafka client security settings
 */
public record AuditConfig(
        boolean enabled,
        String bootstrapServers,
        String changesTopic,
        String conflictsTopic,
        String lifecycleTopic,
        Integer partitions,
        Short replicationFactor,
        Set<String> maskedColumns,
        Masking masking,
        Secret hashSalt,
        int relayBatchSize,
        KafkaSecurity security) {

    public AuditConfig {
        maskedColumns = Set.copyOf(maskedColumns);
    }

    /** How a masked column appears in an audit event. */
    public enum Masking {
        /** Replaced by {@code ****}. */
        MASK,
        /** Replaced by {@code sha256:<hex>}, an HMAC of the value with the salt: equal values hash alike, so joins still work. */
        HASH,
        /** Left out of the event. */
        DROP
    }

    /** Kafka's {@code security.protocol}. */
    public enum Protocol {
        PLAINTEXT,
        SSL,
        SASL_PLAINTEXT,
        SASL_SSL
    }

    /**
     * TLS and SASL settings passed to the Kafka clients. Secrets stay {@link Secret}s until {@link #clientProperties()}.
     *
     * @param protocol {@code security.protocol}
     * @param saslMechanism {@code sasl.mechanism} ({@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}), or {@code null}
     * @param saslUsername the SASL user, or {@code null}
     * @param saslPassword the SASL password
     * @param truststore {@code ssl.truststore.location}, or {@code null}
     * @param truststorePassword {@code ssl.truststore.password}
     * @param keystore {@code ssl.keystore.location} (client certificates), or {@code null}
     * @param keystorePassword {@code ssl.keystore.password}
     */
    public record KafkaSecurity(
            Protocol protocol,
            String saslMechanism,
            String saslUsername,
            Secret saslPassword,
            Path truststore,
            Secret truststorePassword,
            Path keystore,
            Secret keystorePassword) {

        /**
         * The client properties these settings stand for, secrets revealed: hand them to a Kafka client only
         * (Kafka's own config logging hides {@code sasl.jaas.config} and the store passwords), never print them.
         */
        public Map<String, Object> clientProperties() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("security.protocol", protocol.name());
            if (saslMechanism != null) {
                p.put("sasl.mechanism", saslMechanism);
            }
            if (saslUsername != null) {
                String module = saslMechanism != null && saslMechanism.startsWith("SCRAM")
                        ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                        : "org.apache.kafka.common.security.plain.PlainLoginModule";
                p.put("sasl.jaas.config", module + " required username=\"" + escape(saslUsername) + "\" password=\""
                        + escape(saslPassword.reveal()) + "\";");
            }
            if (truststore != null) {
                p.put("ssl.truststore.location", truststore.toString());
                if (!truststorePassword.isEmpty()) {
                    p.put("ssl.truststore.password", truststorePassword.reveal());
                }
            }
            if (keystore != null) {
                p.put("ssl.keystore.location", keystore.toString());
                if (!keystorePassword.isEmpty()) {
                    p.put("ssl.keystore.password", keystorePassword.reveal());
                }
            }
            return p;
        }

        private static String escape(String s) {
            return s.replace("\\", "\\\\").replace("\"", "\\\"");
        }
    }
}
