package io.graybridge.bridge.demo;

import io.graybridge.bridge.audit.AuditRelay;
import io.graybridge.bridge.config.AuditConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The demo's auditing consumer: reads the three audit topics from the start, on a thread of its own. */
final class AuditWatcher implements AutoCloseable {
    private final AuditConfig config;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    AuditWatcher(AuditConfig config) {
        this.config = config;
        this.thread = new Thread(this::consume, "demo-audit-consumer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The events received so far, as published (CloudEvents JSON). */
    List<String> events() {
        return List.copyOf(events);
    }

    private void consume() {
        Map<String, Object> props = new HashMap<>(AuditRelay.clientProperties(config));
        props.put("enable.auto.commit", false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (running && partitions.isEmpty()) {
                List<TopicPartition> found = new ArrayList<>();
                for (String topic : List.of(config.changesTopic(), config.conflictsTopic(), config.lifecycleTopic())) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos == null || infos.isEmpty()) {
                        found.clear();
                        break;
                    }
                    infos.forEach(i -> found.add(new TopicPartition(i.topic(), i.partition())));
                }
                if (found.isEmpty()) {
                    sleep(200);
                }
                partitions = found;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    events.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                events.add("{\"type\":\"consumer failed: " + e.getClass().getSimpleName() + "\"}");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
