package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.lifecycle.BridgeObjects;
import io.graybridge.bridge.lifecycle.Lifecycle;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.lifecycle.PhaseChange;
import java.io.PrintWriter;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.gate.GateInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge promote|rollback|finalize -c FILE}: the lifecycle commands. */
final class PhaseCommands {
    private PhaseCommands() {}

    /** What the three commands share: the config, the override and its reason, the run itself. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--force", description = "Move even though the gate fails or cannot decide; needs --reason.")
        boolean force;

        @Option(names = "--reason", paramLabel = "TEXT",
                description = "Why (required with --force); kept in the phase journal and the audit event.")
        String reason;

        @Option(names = "--reconcile", description = "Run a fresh drift comparison of every table for the gate first"
                + " (only when the phase would move).")
        boolean reconcile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract Phase.Command command();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PhaseChange.Request request = new PhaseChange.Request(command(), force, reason, Lifecycle.actor(), Lifecycle.host());
            String missing = PhaseChange.incomplete(request);
            if (missing != null) {
                err.println("error: " + missing);
                return PhaseChange.INVALID;
            }
            BridgeConfig cfg = config.load();
            try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                    SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
                java.util.function.Supplier<GateInput.Drift> fresh = !reconcile ? null : () -> {
                    Instant started = Instant.now();
                    DriftReport report = DriftRun.run(cfg, v1, v2, cfg.tables(), true, CompareOptions.Strategy.AUTO, 0, err);
                    return new GateInput.Drift(report.verdictId(), report.verdict(), started, Instant.now());
                };
                PhaseChange.Result result = PhaseChange.run(cfg, v1, v2, request, out, err, GateCommand::table, fresh);
                int exit = after(cfg, v1, v2, result, out, err);
                out.flush();
                err.flush();
                return exit;
            }
        }

        /** What follows the transition (finalize: the lanes stop, and the objects go on request). */
        int after(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, PhaseChange.Result result, PrintWriter out,
                PrintWriter err) throws InterruptedException {
            return result.exitCode();
        }
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = {
                "Moves the release to 'promoted' (v2 is primary; both lanes keep running, so v1 stays ready for",
                "a rollback) from 'dual' or 'rolled-back', if the promote gate passes (see `graybridge gate`).",
                "Exit code 0 moved or already promoted, 1 gate failed, 2 could not decide or not allowed."
            })
    static final class Promote extends Base {
        @Override
        Phase.Command command() {
            return Phase.Command.PROMOTE;
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = {
                "Moves the release to 'rolled-back' (v1 is primary; both lanes keep running) from 'dual' or",
                "'promoted', if the rollback gate passes (see `graybridge gate`).",
                "Exit code 0 moved or already rolled back, 1 gate failed, 2 could not decide or not allowed."
            })
    static final class Rollback extends Base {
        @Override
        Phase.Command command() {
            return Phase.Command.ROLLBACK;
        }
    }

    @Command(
            name = "finalize",
            mixinStandardHelpOptions = true,
            description = {
                "Ends the release from 'promoted' or 'rolled-back': the phase becomes 'finalized' and a running",
                "bridge stops both lanes (within seconds; this command waits for it). It needs the gate of the",
                "phase it ends (promote gate when promoted, rollback gate when rolled back): the side that is",
                "retired must have handed over everything it wrote. --drop-bridge-objects then removes the",
                "lanes' replication slots and publications and the bridge metadata (never application data).",
                "Exit code 0 finalized or already, 1 gate failed, 2 could not decide, not allowed, or not all",
                "objects removed."
            })
    static final class Finalize extends Base {
        @Option(names = "--drop-bridge-objects",
                description = "Also remove the bridge's replication slots, publications and metadata schema.")
        boolean dropObjects;

        @Option(names = "--wait-seconds", defaultValue = "30", paramLabel = "SECONDS",
                description = "How long to wait for a running bridge to stop its lanes (default: ${DEFAULT-VALUE}).")
        int waitSeconds;

        @Override
        Phase.Command command() {
            return Phase.Command.FINALIZE;
        }

        @Override
        int after(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, PhaseChange.Result result, PrintWriter out,
                PrintWriter err) throws InterruptedException {
            if (result.exitCode() != PhaseChange.MOVED || result.phase() != Phase.FINALIZED) {
                return result.exitCode();
            }
            BridgeObjects objects = new BridgeObjects(cfg, v1, v2);
            List<String> active = objects.awaitLanesStopped(Duration.ofSeconds(waitSeconds));
            if (!active.isEmpty()) {
                err.println("error: still capturing after " + waitSeconds + " s: " + String.join(", ", active)
                        + ". A bridge process that runs this config stops its lanes once it reads the phase; if one"
                        + " is stuck, stop it (SIGTERM)" + (dropObjects ? ", then run this again to remove the objects" : ""));
                return PhaseChange.INVALID;
            }
            out.println("lanes stopped: no capture holds the bridge's replication slots");
            if (!dropObjects) {
                out.println("replication slots, publications and metadata are kept; `graybridge finalize -c FILE"
                        + " --drop-bridge-objects` removes them (the slots keep WAL on the servers until then)");
                return PhaseChange.MOVED;
            }
            return objects.drop(out, err) ? PhaseChange.MOVED : PhaseChange.INVALID;
        }
    }
}
