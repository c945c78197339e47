package io.graybridge.bridge.audit;

import io.graybridge.bridge.apply.CrashPoints;
import io.graybridge.bridge.config.AuditConfig;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import java.nio.charset.StandardCharsets;
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
 * {@code audit.relay-batch-size} events in {@code seq} order, renders the events of applied changes from the facts
 * the lane stored ({@link ChangeFacts}, masking their sensitive columns with the {@link ColumnMasker} of the audit
 * settings, so nothing unmasked leaves the bridge), sends them with the idempotent producer
 * ({@code acks=all}, so order per partition holds), waits for the acknowledgements, then deletes the
 * acknowledged prefix and counts it in one transaction. Sync never waits for it.
 *
 * <p>When Kafka cannot be reached, the rows stay and the relay tries again with a growing pause (1 s to
 * 30 s), logging the outage once and its end once. Delivery is at least once: rows published but not yet
 * deleted when the process dies or a send fails are published again, with the same CloudEvents id, so
 * consumers deduplicate by {@code (source, id)}.
 *
 * <p>Closing is bounded whatever the broker does ({@link #close}): the relay gets a short grace to finish a round,
 * then its Kafka clients are closed without waiting, so no admin call or send outlives the bridge; what Kafka did
 * not acknowledge stays in the outbox.
 */
public final class AuditRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRelay.class);
    private static final long IDLE_PAUSE_MS = 100;
    private static final byte[] CONTENT_TYPE = "application/cloudevents+json".getBytes(StandardCharsets.UTF_8);
    /** How long {@link #close} lets a round in progress finish before it aborts the Kafka clients. */
    private static final long GRACE_MS = 2_000;
    /** How long {@link #close} then waits for the thread, once after the abort and once after an interrupt. */
    private static final long ABORT_MS = 2_000;

    private final SideDatabase db;
    private final Outbox outbox;
    private final AuditConfig config;
    /**
     * Renders the facts of the changes the lane stored into their events, hiding sensitive columns with the
     * {@link ColumnMasker} of the audit settings; used by the relay's thread only.
     */
    private final FactsRenderer renderer;
    private final String progressTable;
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    /** Guards {@link #admin}, {@link #producer} and {@link #running} changes, and wakes a pausing relay. */
    private final Object lock = new Object();
    private volatile boolean running;
    private volatile String lastError;
    private Admin admin; // while connect() creates the topics
    private KafkaProducer<String, byte[]> producer;
    private long stopRequestedAt;
    private long rounds;

    public AuditRelay(SideDatabase db, String metadataSchema, String bridge, AuditConfig config) {
        this.db = db;
        this.outbox = new Outbox(db, metadataSchema, bridge);
        this.config = config;
        this.renderer = new FactsRenderer(ColumnMasker.of(config));
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

    /**
     * Asks the relay to stop without waiting: a round in progress may finish, a pause ends at once. {@link #close}
     * then waits a bounded time. Calling it on every relay first lets them wind down side by side.
     */
    public void stop() {
        synchronized (lock) {
            if (running || stopRequestedAt == 0) {
                stopRequestedAt = System.nanoTime();
            }
            running = false;
            lock.notifyAll();
        }
    }

    /**
     * Stops the relay within about {@value #GRACE_MS} + {@value #ABORT_MS} ms whatever Kafka does: a round in
     * progress gets {@value #GRACE_MS} ms to finish (none when Kafka is known to be away); then the Kafka clients
     * are closed without waiting, which fails whatever they still wait for. Nothing is lost: rows that Kafka did
     * not acknowledge stay in the outbox and are published by the next run, with the same ids.
     */
    @Override
    public void close() {
        stop();
        try {
            long grace = lastError == null ? GRACE_MS : 0;
            thread.join(Math.max(1, grace - elapsedSinceStopMs()));
            if (thread.isAlive()) {
                abortClients();
                thread.join(ABORT_MS);
            }
            if (thread.isAlive()) {
                thread.interrupt(); // a database call that hangs
                thread.join(ABORT_MS);
            }
        } catch (InterruptedException e) {
            abortClients();
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("audit relay {}: did not stop within {} ms; what it did not publish stays in the outbox",
                    db.side().id(), GRACE_MS + 2 * ABORT_MS);
        }
    }

    private long elapsedSinceStopMs() {
        synchronized (lock) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopRequestedAt);
        }
    }

    /** Closes the Kafka clients without waiting: pending admin calls and sends fail at once. Any thread may call it. */
    private void abortClients() {
        Admin a;
        KafkaProducer<String, byte[]> p;
        synchronized (lock) {
            a = admin;
            p = producer;
        }
        if (a != null) {
            closeQuietly(() -> a.close(Duration.ZERO));
        }
        if (p != null) {
            closeQuietly(() -> p.close(Duration.ZERO));
        }
    }

    private static void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.debug("closing an audit Kafka client: {}", e.toString());
        }
    }

    /** Waits {@code millis} or until {@link #stop}; returns whether the relay still runs. */
    private boolean pause(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            long left;
            while (running && (left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
                lock.wait(left);
            }
            return running;
        }
    }

    private void loop() {
        long backoff = 1000;
        while (running) {
            try {
                if (producer == null) {
                    connect();
                    if (producer == null) {
                        break; // stopped while connecting
                    }
                }
                int sent = round();
                if (lastError != null) {
                    LOG.info("audit relay {}: Kafka reachable again, publishing the outbox", db.side().id());
                    lastError = null;
                }
                backoff = 1000;
                if (sent == 0 && !pause(IDLE_PAUSE_MS)) {
                    break;
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
                    if (!pause(backoff)) {
                        break;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
        boolean interrupted = Thread.interrupted(); // the producer's close must not be interrupted
        closeProducer();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Creates the producer and the topics that are missing; {@link #abortClients} may fail it from another thread. */
    private void connect() throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, Object> common = clientProperties(config);
        Map<String, Object> adminProps = new java.util.HashMap<>(common);
        adminProps.put("client.id", "graybridge-audit-admin-" + outbox.bridge() + "-" + db.side().id());
        Admin created = Admin.create(adminProps);
        try {
            synchronized (lock) {
                if (!running) {
                    return;
                }
                admin = created;
            }
            List<NewTopic> topics = new ArrayList<>();
            for (String name : List.of(config.changesTopic(), config.conflictsTopic(), config.lifecycleTopic())) {
                if (topics.stream().noneMatch(t -> t.name().equals(name))) {
                    topics.add(new NewTopic(name, Optional.ofNullable(config.partitions()),
                            Optional.ofNullable(config.replicationFactor())));
                }
            }
            for (var f : created.createTopics(topics).values().entrySet()) {
                try {
                    f.getValue().get(30, TimeUnit.SECONDS);
                    LOG.info("audit relay {}: created topic {}", db.side().id(), f.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } finally {
            synchronized (lock) {
                admin = null;
            }
            closeQuietly(() -> created.close(Duration.ofSeconds(running ? 5 : 0)));
        }
        Map<String, Object> p = new java.util.HashMap<>(common);
        p.put("enable.idempotence", true);
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", 5);
        // a round is sent in one go and flushed at its end, so linger only decides whether records leave before the
        // flush: a long one gathers the round into a few full requests. With 5 ms, small requests left while the relay
        // was still sending, filled the 5 in-flight slots of a slow broker, and the client's sender then polled
        // without waiting (a ready batch, no slot free) until the broker answered: a busy loop that cost the bridge
        // more CPU per event than rendering it (AuditBenchmark: bridge CPU per 1,000 changes doubled, 0 with Kafka away)
        p.put("linger.ms", 1000);
        // big batches mean few requests for the broker to handle
        p.put("batch.size", 256 * 1024);
        p.put("compression.type", "lz4");
        p.put("max.block.ms", 10_000);
        p.put("request.timeout.ms", 10_000);
        p.put("delivery.timeout.ms", 30_000);
        p.put("client.id", "graybridge-audit-" + outbox.bridge() + "-" + db.side().id());
        KafkaProducer<String, byte[]> made = new KafkaProducer<>(p, new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        synchronized (lock) {
            if (running) {
                producer = made;
                return;
            }
        }
        closeQuietly(() -> made.close(Duration.ZERO));
    }

    /** Settings every Kafka client of the audit trail shares: brokers and security (secrets inside: never log them). */
    public static Map<String, Object> clientProperties(AuditConfig config) {
        Map<String, Object> p = new java.util.HashMap<>(config.security().clientProperties());
        p.put("bootstrap.servers", config.bootstrapServers());
        p.put("request.timeout.ms", 10_000);
        p.put("default.api.timeout.ms", 20_000);
        return p;
    }

    /**
     * Publishes one round: the oldest rows up to about {@code audit.relay-batch-size} events (whole rows: a bundle
     * is never split). A row is deleted once Kafka acknowledged every event in it; returns how many events were
     * published and deleted.
     */
    private int round() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        List<Pending> rows = read();
        if (rows.isEmpty()) {
            return 0;
        }
        List<List<Future<RecordMetadata>>> acks = new ArrayList<>(rows.size());
        sending:
        for (Pending row : rows) {
            List<Future<RecordMetadata>> rowAcks = new ArrayList<>(row.entries.size());
            acks.add(rowAcks);
            for (AuditBundle.Entry e : row.entries) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic(e.channel()), e.recordKey(), e.payload());
                record.headers().add("content-type", CONTENT_TYPE);
                Future<RecordMetadata> ack = producer.send(record);
                rowAcks.add(ack);
                if (ack.isDone() && failed(ack)) {
                    break sending; // e.g. no metadata within max.block.ms: Kafka is away, do not wait again for every row
                }
            }
        }
        producer.flush();
        List<Long> done = new ArrayList<>(rows.size());
        int events = 0;
        ExecutionException failure = null;
        acknowledging:
        for (int i = 0; i < acks.size(); i++) {
            for (Future<RecordMetadata> ack : acks.get(i)) {
                try {
                    ack.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e; // later rows may have been published too: they go again, with the same ids
                    break acknowledging;
                }
            }
            if (acks.get(i).size() < rows.get(i).entries.size()) {
                break; // the row was not sent in full
            }
            done.add(rows.get(i).seq);
            events += rows.get(i).entries.size();
        }
        rounds++;
        CrashPoints.reached("relay-after-send", rounds);
        delete(done, events);
        published.addAndGet(events);
        if (failure != null) {
            throw failure;
        }
        if (done.size() < rows.size()) {
            throw new IllegalStateException("Kafka did not take the rest of the round");
        }
        return events;
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

    private String topic(EventType.Channel channel) {
        return switch (channel) {
            case CHANGES -> config.changesTopic();
            case CONFLICTS -> config.conflictsTopic();
            case LIFECYCLE -> config.lifecycleTopic();
        };
    }

    /** An outbox row: its {@code seq} and the events in it (one, or a lane transaction's bundle). */
    private record Pending(long seq, List<AuditBundle.Entry> entries) {}

    /**
     * The oldest rows of this bridge, in {@code seq} order, up to the one that reaches the round's size in events
     * (counted in the database, so a round never reads more than it sends).
     */
    private List<Pending> read() throws SQLException {
        List<Object[]> rows = db.withHandle(h -> {
            Connection c = h.getConnection();
            // a join, not IN: MariaDB takes no LIMIT in an IN subquery
            try (PreparedStatement ps = c.prepareStatement("SELECT o.seq, o.event_id, o.type, o.record_key, o.payload,"
                    + " o.bundle FROM " + outbox.table() + " o JOIN (SELECT seq, sum(events) OVER (ORDER BY seq) - events"
                    + " AS ahead FROM " + outbox.table() + " WHERE bridge = ? ORDER BY seq LIMIT ?) w ON w.seq = o.seq"
                    + " WHERE w.ahead < ? ORDER BY o.seq")) {
                ps.setString(1, outbox.bridge());
                ps.setInt(2, config.relayBatchSize());
                ps.setInt(3, config.relayBatchSize());
                List<Object[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        byte[] bundle = rs.getBytes(6);
                        // a text column's bytes as the server sent them: the UTF-8 payload, no decoding needed
                        out.add(new Object[] {seq, bundle != null ? bundle
                                : new AuditBundle.Entry(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5))});
                    }
                }
                return out;
            }
        });
        // bundles are unpacked, and the facts of applied changes rendered and masked, with the connection returned
        List<Pending> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            long seq = (Long) row[0];
            if (row[1] instanceof AuditBundle.Entry single) {
                out.add(new Pending(seq, List.of(single)));
                continue;
            }
            try {
                out.add(new Pending(seq, AuditBundle.unpack((byte[]) row[1], renderer)));
            } catch (IllegalArgumentException e) {
                throw new SQLException("audit outbox row seq " + seq + " in " + outbox.table() + " cannot be read ("
                        + e.getMessage() + "); the relay stops at it so nothing after it is published out of order:"
                        + " inspect the row, then delete it to go on", e);
            }
        }
        return out;
    }

    private void delete(List<Long> seqs, int events) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        db.inTransaction(h -> {
            Connection c = h.getConnection();
            String marks = String.join(", ", java.util.Collections.nCopies(seqs.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + outbox.table() + " WHERE seq IN (" + marks + ")")) {
                for (int i = 0; i < seqs.size(); i++) {
                    ps.setLong(i + 1, seqs.get(i));
                }
                ps.executeUpdate();
            }
            String count = db.dialect().mysqlFamily()
                    ? "INSERT INTO " + progressTable + " (bridge, published, last_published_at) VALUES (?, ?, CURRENT_TIMESTAMP(6))"
                            + " ON DUPLICATE KEY UPDATE published = published + VALUES(published),"
                            + " last_published_at = CURRENT_TIMESTAMP(6)"
                    : "INSERT INTO " + progressTable + " AS p (bridge, published, last_published_at) VALUES (?, ?, now())"
                            + " ON CONFLICT (bridge) DO UPDATE SET published = p.published + EXCLUDED.published,"
                            + " last_published_at = now()";
            try (PreparedStatement ps = c.prepareStatement(count)) {
                ps.setString(1, outbox.bridge());
                ps.setLong(2, events);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void closeProducer() {
        KafkaProducer<String, byte[]> p;
        synchronized (lock) {
            p = producer;
            producer = null;
        }
        if (p != null) {
            closeQuietly(() -> p.close(Duration.ofSeconds(running ? 2 : 0)));
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
