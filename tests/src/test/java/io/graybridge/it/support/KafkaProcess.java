package io.graybridge.it.support;

import io.graybridge.bridge.demo.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded KRaft broker ({@link EmbeddedKafka}) in a JVM of its own, so that a benchmark can tell the
 * bridge's CPU from the broker's ({@link #cpuSeconds()}). Commands go over its stdin: {@code stop}, {@code start};
 * closing stdin closes the broker and ends the process.
 */
public final class KafkaProcess implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private final String bootstrap;
    private boolean up = true;

    private KafkaProcess(Process process) throws IOException {
        this.process = process;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.bootstrap = expect("bootstrap=").substring("bootstrap=".length());
    }

    /** Starts the broker process (about 3-5 s) with its data under {@code parent}. */
    public static KafkaProcess start(Path parent) {
        return start(parent, 0);
    }

    /**
     * Starts the broker process with its data under {@code parent}, at CPU priority {@code niceness} (0 as this
     * process, 19 the lowest: a broker that yields the CPU to the bridge and the databases, as one on its own
     * machine would; it still gets every cycle they leave idle). Needs {@code nice} on the path for a niceness > 0.
     */
    public static KafkaProcess start(Path parent, int niceness) {
        Path root = RepoPaths.root();
        Path jar = root.resolve("cdc-bridge/target/graybridge.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run with 'mvn verify' from the repo root");
        }
        List<String> cmd = new ArrayList<>();
        if (niceness > 0) {
            cmd.add("nice");
            cmd.add("-n");
            cmd.add(String.valueOf(niceness));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, jar.toString(),
                jar.resolveSibling("lib") + java.io.File.separator + "*",
                root.resolve("tests/target/test-classes").toString()));
        cmd.add(KafkaProcess.class.getName());
        cmd.add(parent.toAbsolutePath().toString());
        try {
            Path log = Files.createDirectories(parent).resolve("kafka-process.log");
            return new KafkaProcess(new ProcessBuilder(cmd).redirectError(log.toFile()).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker process", e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time (user and system) the broker process used so far, from {@code /proc}. */
    public double cpuSeconds() {
        return ProcCpu.seconds(process.pid());
    }

    public void stop() {
        commands.println("stop");
        expect("stopped");
        up = false;
    }

    public void start() {
        commands.println("start");
        expect("started");
        up = true;
    }

    /** Whether the broker runs (not {@link #stop stopped}). */
    public boolean isUp() {
        return up;
    }

    private String expect(String prefix) {
        try {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the Kafka broker process ended before answering '" + prefix + "'");
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The broker process: {@code args[0]} is the parent folder of its data. */
    public static void main(String[] args) throws IOException {
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err); // logs go to the log file: stdout carries only the answers, and nobody drains it
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]))) {
            protocol.println("bootstrap=" + kafka.bootstrapServers());
            protocol.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stop")) {
                    kafka.stop();
                    protocol.println("stopped");
                } else if (line.equals("start")) {
                    kafka.start();
                    protocol.println("started");
                }
                protocol.flush();
            }
        }
        System.exit(0);
    }
}
