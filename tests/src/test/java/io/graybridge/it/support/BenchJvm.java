package io.graybridge.it.support;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived child JVM for a benchmark: {@code java -cp <bridge jar, its lib, the test classes> mainClass args},
 * driven by one-line commands over its stdin, each answered by one line on its stdout that starts with a prefix the
 * caller names; its stderr (the logs) goes to a file. A benchmark that compares two modes runs each in its own child,
 * so neither mode's JIT-compiled code, heap or caches are the other's (as with a bridge, which runs in one mode).
 * Closing stdin ends the child. The child's {@code main} must print nothing else on stdout (send logs to stderr).
 */
public final class BenchJvm implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private final Path log;

    private BenchJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code mainClass} with {@code jvmArgs} before the class and {@code args} after it, {@code env} added to
     * this process's environment, stderr to {@code log}.
     */
    public static BenchJvm start(Class<?> mainClass, List<String> jvmArgs, List<String> args, Map<String, String> env,
            Path log) {
        Path root = RepoPaths.root();
        Path jar = root.resolve("cdc-bridge/target/graybridge.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run with 'mvn verify' from the repo root");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, jar.toString(),
                jar.resolveSibling("lib") + java.io.File.separator + "*",
                root.resolve("tests/target/test-classes").toString()));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
            pb.environment().putAll(env);
            return new BenchJvm(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the benchmark JVM " + mainClass.getName(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Sends {@code command} and returns the first answer line starting with {@code prefix}, without the prefix. */
    public String ask(String command, String prefix) {
        commands.println(command);
        try {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the benchmark JVM (pid " + process.pid() + ") ended before answering '" + command
                + "'; its log is " + log.toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
