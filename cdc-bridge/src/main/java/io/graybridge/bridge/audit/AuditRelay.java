package io.graybridge.bridge.audit;

import io.graybridge.bridge.apply.CrashPoints;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.db.SideDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one side's audit outbox to Kafka, on a thread of its own: reads up to
 * {@code audit.relay-batch-size} rows in {@code seq} order, sends them with the idempotent producer
 * ({@code acks=all}, so order per partition holds), waits for the acknowledgements, then deletes the
 * acknowledged prefix and counts it in one transaction. Sync never waits for it.
 *
 * <p>When Kafka cannot be reached, the rows stay and the relay tries again with a growing pause (1 s to
 * 30 s), logging the outage once and its end once. Delivery is at least once: rows published but not yet
 * deleted when the process dies or a send fails are published again, with the same CloudEvents id, so
 * consumers deduplicate by {@code (source, id)}.
 */
public final class AuditRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRelay.class);
    private static final long IDLE_PAUSE_MS = 100;

    private final SideDatabase db;
    private final Outbox outbox;
    private final AuditConfig config;
    private final String progressTable;
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile boolean running;
    private volatile String lastError;
    private KafkaProducer<String, byte[]> producer;
    private long rounds;

    public AuditRelay(SideDatabase db, String metadataSchema, String bridge, AuditConfig config) {
        this.db = db;
        this.outbox = new Outbox(db, metadataSchema, bridge);
        this.config = config;
        this.progressTable = db.dialect().qualified(metadataSchema, "audit_relay_progress");
        this.thread = new Thread(this::loop, "graybridge-audit-relay-" + db.side().id());
        this.thread.setDaemon(true);
    }

    public void start() {
        running = true;
        thread.start();
    }

    /** Events this relay published since it started. */
    public long published() {
        return published.get();
    }

    /** Why the last round failed, or {@code null} when Kafka is reachable. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(3_000); // a round in progress finishes; an idle relay notices within 100 ms
            if (thread.isAlive()) {
                thread.interrupt(); // e.g. pausing after a failure
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long pause = 1000;
        while (running) {
            try {
                if (producer == null) {
                    connect();
                }
                int sent = round();
                if (lastError != null) {
                    LOG.info("audit relay {}: Kafka reachable again, publishing the outbox", db.side().id());
                    lastError = null;
                }
                pause = 1000;
                if (sent == 0) {
                    Thread.sleep(IDLE_PAUSE_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | SQLException | ExecutionException | TimeoutException e) {
                if (!running) {
                    break;
                }
                String why = describe(e);
                if (lastError == null) {
                    LOG.warn("audit relay {}: cannot publish to Kafka at {} ({}); sync goes on, audit events wait in"
                            + " the outbox and are published when Kafka is back", db.side().id(),
                            config.bootstrapServers(), why);
                } else {
                    LOG.debug("audit relay {}: still failing: {}", db.side().id(), why);
                }
                lastError = why;
                closeProducer();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                pause = Math.min(pause * 2, 30_000);
            }
        }
        boolean interrupted = Thread.interrupted(); // the producer's close must not be interrupted
        closeProducer();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the producer and the topics that are missing. */
    private void connect() throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> common = clientProperties(config);
        try (Admin admin = Admin.create(common)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : List.of(config.changesTopic(), config.conflictsTopic(), config.lifecycleTopic())) {
                if (topics.stream().noneMatch(t -> t.name().equals(name))) {
                    topics.add(new NewTopic(name, Optional.ofNullable(config.partitions()),
                            Optional.ofNullable(config.replicationFactor())));
                }
            }
            for (var f : admin.createTopics(topics).values().entrySet()) {
                try {
                    f.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("audit relay {}: created topic {}", db.side().id(), f.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        Map<String, Object> p = new java.util.HashMap<>(common);
        p.put("enable.idempotence", true);
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", 5);
        p.put("linger.ms", 5);
        p.put("compression.type", "lz4");
        p.put("max.block.ms", 10_000);
        p.put("request.timeout.ms", 10_000);
        p.put("delivery.timeout.ms", 30_000);
        p.put("client.id", "graybridge-audit-" + outbox.bridge() + "-" + db.side().id());
        producer = new KafkaProducer<>(p, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /** Settings every Kafka client of the audit trail shares: brokers and security (secrets inside: never log them). */
    public static Map<String, Object> clientProperties(AuditConfig config) {
        Map<String, Object> p = new java.util.HashMap<>(config.security().clientProperties());
        p.put("bootstrap.servers", config.bootstrapServers());
        p.put("request.timeout.ms", 10_000);
        p.put("default.api.timeout.ms", 20_000);
        return p;
    }

    /** Publishes one round; returns how many rows it published and deleted. */
    private int round() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        List<Pending> rows = read();
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Pending r : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic(r.channel), r.key,
                    r.payload.getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            Future<RecordMetadata> ack = producer.send(record);
            acks.add(ack);
            if (ack.isDone() && failed(ack)) {
                break; // e.g. no metadata within max.block.ms: Kafka is away, do not wait again for every row
            }
        }
        producer.flush();
        List<Long> done = new ArrayList<>(rows.size());
        ExecutionException failure = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(60, TimeUnit.SECONDS);
                done.add(rows.get(i).seq);
            } catch (ExecutionException e) {
                failure = e; // later rows may have been published too: they go again, with the same ids
                break;
            }
        }
        rounds++;
        CrashPoints.reached("relay-after-send", rounds);
        delete(done);
        published.addAndGet(done.size());
        if (failure != null) {
            throw failure;
        }
        if (done.size() < rows.size()) {
            throw new IllegalStateException("Kafka did not take the rest of the round");
        }
        return done.size();
    }

    private static boolean failed(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private String topic(String channel) {
        return switch (EventType.Channel.valueOf(channel)) {
            case CHANGES -> config.changesTopic();
            case CONFLICTS -> config.conflictsTopic();
            case LIFECYCLE -> config.lifecycleTopic();
        };
    }

    private record Pending(long seq, String channel, String key, String payload) {}

    private List<Pending> read() throws SQLException {
        return db.withHandle(h -> {
            Connection c = h.getConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, channel, record_key, payload FROM "
                    + outbox.table() + " WHERE bridge = ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, outbox.bridge());
                ps.setInt(2, config.relayBatchSize());
                List<Pending> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    private void delete(List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        db.inTransaction(h -> {
            Connection c = h.getConnection();
            Array array = c.createArrayOf("bigint", seqs.toArray());
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + outbox.table() + " WHERE seq = ANY(?)")) {
                ps.setArray(1, array);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + progressTable
                    + " AS p (bridge, published, last_published_at) VALUES (?, ?, now()) ON CONFLICT (bridge)"
                    + " DO UPDATE SET published = p.published + EXCLUDED.published, last_published_at = now()")) {
                ps.setString(1, outbox.bridge());
                ps.setLong(2, seqs.size());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debug("closing the audit producer: {}", e.toString());
            }
            producer = null;
        }
    }

    private static String describe(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c.getCause() != null && c.getMessage() == null) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
