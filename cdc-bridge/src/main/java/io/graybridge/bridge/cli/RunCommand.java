package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.ConfigLoader;
import io.graybridge.bridge.http.HttpSurface;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.error.ErrorCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge run -c FILE}: backfill, then stream, until stopped. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the bridge against the servers in the config: checks both schemas, creates the bridge",
            "metadata, backfills the mapped tables (initial snapshot), then streams changes until stopped",
            "with Ctrl-C or SIGTERM. A restart resumes from the position stored on the target side."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Option(
            names = "--progress-seconds",
            defaultValue = "10",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}); 0 turns them off.")
    int progressSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BridgeConfig cfg = config.load();
        LOG.info("effective config:{}{}", System.lineSeparator(), ConfigLoader.describeEffective(cfg));
        Bridge bridge = Bridge.open(cfg);
        HttpSurface http;
        try {
            http = cfg.http().enabled() ? HttpSurface.start(bridge) : null;
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        Runnable stop = () -> {
            if (http != null) {
                http.close();
            }
            bridge.close();
        };
        Thread hook = new Thread(stop, "graybridge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (http != null) {
            out.printf("graybridge: HTTP on http://%s:%d (/metrics, /health/live, /health/ready, /gate/promote,"
                    + " /gate/rollback)%n", cfg.http().bindAddress(), http.address().getPort());
        }
        bridge.start();
        out.printf("graybridge: bridge '%s' running lanes %s in phase %s; stop with Ctrl-C%n", cfg.name(),
                bridge.lanes().stream().map(Lane::name).toList(), bridge.phase());
        out.flush();
        long nextProgress = System.currentTimeMillis() + progressSeconds * 1000L;
        java.util.Set<String> streaming = new java.util.HashSet<>();
        long nextSlotCheck = 0;
        while (true) {
            List<Lane> lanes = bridge.lanes();
            if (streaming.size() < lanes.size() && System.currentTimeMillis() >= nextSlotCheck) {
                for (Lane lane : lanes) {
                    if (!streaming.contains(lane.name()) && lane.isStreaming()) {
                        streaming.add(lane.name());
                        out.printf("graybridge: lane %s is streaming: changes committed from now on are captured%n",
                                lane.name());
                        out.flush();
                    }
                }
                nextSlotCheck = System.currentTimeMillis() + 500;
            }
            for (Lane lane : lanes) {
                if (lane.state() == Lane.State.FAILED) {
                    out.println(Progress.line(lane));
                    out.flush();
                    spec.commandLine().getErr().println("error: lane " + lane.name() + " stopped: "
                            + GrayBridgeCli.describe(lane.failure()).replaceFirst("^error: ", ""));
                    stop.run();
                    Runtime.getRuntime().removeShutdownHook(hook);
                    return GrayBridgeCli.exitCode(lane.failure()) == ErrorCode.INTERNAL.exitCode()
                            ? ErrorCode.CAPTURE_FAILED.exitCode()
                            : GrayBridgeCli.exitCode(lane.failure());
                }
            }
            if (lanes.stream().allMatch(l -> l.state() == Lane.State.STOPPED)) {
                if (bridge.finalized()) {
                    out.printf("graybridge: bridge '%s' is finalized: both lanes stopped%n", cfg.name());
                    out.flush();
                    if (!bridge.relays().isEmpty() && !bridge.awaitOutboxesDrained(java.time.Duration.ofSeconds(30))) {
                        spec.commandLine().getErr().println("warning: audit events are still waiting in the outbox"
                                + " (Kafka unreachable?); `graybridge finalize --drop-bridge-objects` publishes them"
                                + " before it removes the metadata");
                    }
                }
                if (http != null) {
                    http.close();
                }
                return 0;
            }
            if (progressSeconds > 0 && System.currentTimeMillis() >= nextProgress) {
                lanes.forEach(l -> out.println(Progress.line(l)));
                if (!bridge.relays().isEmpty()) {
                    out.println(Progress.audit(bridge, cfg));
                }
                out.flush();
                nextProgress += progressSeconds * 1000L;
            }
            Thread.sleep(200);
        }
    }
}
