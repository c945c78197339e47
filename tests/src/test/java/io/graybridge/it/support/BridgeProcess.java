package io.graybridge.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The bridge as its own JVM, started from the packaged jar exactly as an operator runs it. */
public final class BridgeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private BridgeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code graybridge run -c config} with {@code extraEnv}; output goes to {@code log}. */
    public static BridgeProcess run(Path config, Map<String, String> extraEnv, Path log) throws IOException {
        return start(List.of("run", "-c", config.toString(), "--progress-seconds", "1"), extraEnv, log);
    }

    /** Starts {@code graybridge <args>} with {@code extraEnv}; stdout and stderr go to {@code log}. */
    public static BridgeProcess start(List<String> args, Map<String, String> extraEnv, Path log) throws IOException {
        Path jar = RepoPaths.root().resolve("cdc-bridge/target/graybridge.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with 'mvn verify' from the repo root");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + java.io.File.separator + "*");
        cmd.add("io.graybridge.bridge.cli.GrayBridgeCli");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(extraEnv);
        return new BridgeProcess(pb.start(), log);
    }

    /** SIGKILL: no shutdown hook, no cleanup, like a machine losing power. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to end on its own; returns its exit code, or -1 on timeout. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
