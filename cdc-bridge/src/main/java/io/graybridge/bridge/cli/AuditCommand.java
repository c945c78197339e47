package io.graybridge.bridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.audit.AuditRelay;
import io.graybridge.bridge.audit.AuditText;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge audit tail -c FILE [--type T]}: prints the audit trail's events as they arrive. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "The audit trail on Kafka (audit.* settings).",
        subcommands = {AuditCommand.Tail.class})
final class AuditCommand extends CommandGroup {
    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = {
                "Prints audit events from the configured topics as they arrive, one line each: time, type, subject,",
                "lane and what was decided, then the row. Reads without a consumer group (commits nothing)."
            })
    static final class Tail implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = {"-t", "--type"}, paramLabel = "T",
                description = "Only events of this type (repeatable): change.applied, conflict.resolved, deadletter,"
                        + " phase.changed, gate.decided, repair.applied (or the full io.graybridge.* name).")
        List<String> types = new ArrayList<>();

        @Option(names = "--from-beginning", description = "Start at the oldest event kept, not at the newest.")
        boolean fromBeginning;

        @Option(names = "--max", defaultValue = "0", description = "Stop after this many events (0: never).")
        int max;

        @Option(names = "--timeout-seconds", defaultValue = "0",
                description = "Stop after this many seconds without a new event (0: never).")
        int timeoutSeconds;

        @Option(names = "--format", defaultValue = "text",
                description = "text (readable) or json (each event as published, one per line).")
        String format;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("text") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text or json");
            }
            Set<String> wanted = new LinkedHashSet<>();
            for (String t : types) {
                try {
                    wanted.add(EventType.ofType(t).type());
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--type " + t
                            + " is not an audit event type; use change.applied, conflict.resolved, deadletter,"
                            + " phase.changed, gate.decided or repair.applied");
                }
            }
            BridgeConfig cfg = config.load();
            AuditConfig audit = cfg.audit();
            if (!audit.enabled()) {
                throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, config.file + ": audit is off (no"
                        + " audit.bootstrap-servers), so there is nothing to tail; set it to the Kafka brokers");
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> props = new HashMap<>(AuditRelay.clientProperties(audit));
            props.put("enable.auto.commit", false);
            props.put("client.id", "graybridge-audit-tail");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = partitions(consumer, audit);
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
                ObjectMapper json = new ObjectMapper();
                int printed = 0;
                long lastEvent = System.currentTimeMillis();
                while (max == 0 || printed < max) {
                    var records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        if (timeoutSeconds > 0 && System.currentTimeMillis() - lastEvent > timeoutSeconds * 1000L) {
                            break;
                        }
                        continue;
                    }
                    lastEvent = System.currentTimeMillis();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        String text = new String(r.value(), StandardCharsets.UTF_8);
                        JsonNode event = json.readTree(text);
                        if (!wanted.isEmpty() && !wanted.contains(event.path("type").asText())) {
                            continue;
                        }
                        out.println(format.equals("json") ? text : AuditText.line(event));
                        out.flush();
                        if (max > 0 && ++printed >= max) {
                            break;
                        }
                    }
                }
            }
            return 0;
        }

        private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, AuditConfig audit)
                throws InterruptedException {
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                List<TopicPartition> out = new ArrayList<>();
                for (String topic : new LinkedHashSet<>(List.of(audit.changesTopic(), audit.conflictsTopic(),
                        audit.lifecycleTopic()))) {
                    List<PartitionInfo> infos;
                    try {
                        infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "cannot reach Kafka at "
                                + audit.bootstrapServers() + " (audit.bootstrap-servers in " + config.file
                                + "); check the address and the audit.security-protocol settings");
                    }
                    if (infos != null) {
                        infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
                if (!out.isEmpty() || System.currentTimeMillis() > deadline) {
                    if (out.isEmpty()) {
                        throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "no audit topic exists yet at "
                                + audit.bootstrapServers() + ": `graybridge run` creates them when it starts");
                    }
                    return out;
                }
                Thread.sleep(1000);
            }
        }
    }
}
