package io.graybridge.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * An auditing consumer for the tests: reads audit topics from the beginning as raw records, parses them,
 * deduplicates by {@code (source, id)} and validates them against the JSON Schemas in docs/audit/schemas.
 */
public final class AuditConsumer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record as it came from Kafka. */
    public record Received(String topic, int partition, long offset, byte[] key, byte[] value, JsonNode event) {
        public String id() {
            return event.path("source").asText() + " " + event.path("id").asText();
        }

        public String type() {
            return event.path("type").asText();
        }

        public JsonNode data() {
            return event.path("data");
        }
    }

    private AuditConsumer() {}

    /**
     * Reads every record of {@code topics} from the beginning, in partition order, until {@code done} holds for
     * what was read or {@code timeout} passed; returns them all (duplicates included).
     */
    public static List<Received> readUntil(String bootstrap, List<String> topics, Predicate<List<Received>> done,
            Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", false);
        List<Received> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.currentTimeMillis() < deadline) {
                for (String topic : topics) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos != null) {
                        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
                if (partitions.isEmpty()) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return out;
                    }
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.currentTimeMillis() < deadline && !done.test(out)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), parse(r.value())));
                }
            }
        }
        return out;
    }

    /** Reads every record the topics hold now (up to their current end offsets). */
    public static List<Received> readAll(String bootstrap, List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Received> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), parse(r.value())));
                }
            }
            return out;
        }
    }

    /** The first record of each {@code (source, id)}, in the order read. */
    public static List<Received> dedup(List<Received> all) {
        Map<String, Received> first = new LinkedHashMap<>();
        all.forEach(r -> first.putIfAbsent(r.id(), r));
        return new ArrayList<>(first.values());
    }

    public static long distinct(List<Received> all) {
        return all.stream().map(Received::id).distinct().count();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(new String(value, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("an audit record is not JSON", e);
        }
    }

    /** Validates events (CloudEvents envelopes and their data) against the repo's schemas; returns every error. */
    public static final class Schemas {
        private final Schema envelope;
        private final Map<String, Schema> byDataSchema = new HashMap<>();

        public Schemas() {
            Path dir = RepoPaths.root().resolve("docs/audit/schemas");
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String text = Files.readString(f);
                    Schema s = registry.getSchema(text, InputFormat.JSON);
                    String id = JSON.readTree(text).path("$id").asText();
                    if (f.getFileName().toString().startsWith("cloudevent.")) {
                        continue;
                    }
                    byDataSchema.put(id, s);
                }
                envelope = registry.getSchema(Files.readString(dir.resolve("cloudevent.v1.json")), InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The problems of {@code event}: none when its envelope and data validate. */
        public List<String> problems(JsonNode event) {
            List<String> out = new ArrayList<>();
            for (Error e : envelope.validate(event)) {
                out.add("envelope: " + e);
            }
            Schema data = byDataSchema.get(event.path("dataschema").asText());
            if (data == null) {
                out.add("no schema in docs/audit/schemas with $id " + event.path("dataschema").asText());
            } else {
                for (Error e : data.validate(event.path("data"))) {
                    out.add("data: " + e);
                }
            }
            return out;
        }
    }
}
