package io.graybridge.bridge.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one node) in this JVM, from Kafka's own
 * {@code kafka_2.13} artifact, for {@code graybridge demo} and the tests. Not for production: one node,
 * replication factor 1, PLAINTEXT on localhost, data in a temporary folder deleted by {@link #close()}.
 *
 * <p>{@link #stop()} and {@link #start()} may be called again: the broker comes back on the same port with
 * the same data, as a restarted broker would (the tests use it for an outage).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafka(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a log folder and starts the broker on a free port (about 2-3 s). */
    public static EmbeddedKafka start(Path parent) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, "kafka-");
            int[] ports = freePorts();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, ports[0], ports[1]);
            kafka.format();
            kafka.start();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded Kafka broker's folder under " + parent, e);
        }
    }

    /** {@code localhost:port} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Starts the broker again after {@link #stop()} (same port, same data). */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
        s.startup();
        server = s;
    }

    /** Stops the broker and waits until it is down; its data stays for {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private void format() throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties().store(out, "embedded Kafka (GrayBridge demo and tests)");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = kafka.tools.StorageTool$.MODULE$.execute(new String[] {
            "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"
        }, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("formatting the embedded Kafka broker's log folder failed: "
                    + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Two distinct free ports (the listener's and the controller's): both sockets stay open until both ports are known,
     * so the system cannot hand the same port out twice (it did, one port after the other: "Each listener must have a
     * different port").
     */
    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            a.setReuseAddress(true);
            b.setReuseAddress(true);
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }
}
