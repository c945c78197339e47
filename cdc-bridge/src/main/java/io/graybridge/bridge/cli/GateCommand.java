package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.gate.GateRun;
import io.graybridge.bridge.gate.GateVerdictJson;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.gate.GateDecision;
import io.graybridge.reconcile.gate.GateInput;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graybridge gate promote|rollback -c FILE}: may the release move? */
@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        description = {
            "Decides whether the release may be promoted or rolled back: the newest drift result (or a fresh",
            "one with --reconcile) must be clean and no older than gate.max-drift-age-seconds; every enabled",
            "lane must catch up to the sources' current position within gate.max-lag-seconds; conflicts since",
            "that drift run, dead letters and errors (verification findings, lanes not running) must be within",
            "their gate.* limits. Prints PASS or FAIL with every reason and stores the decision in the bridge",
            "metadata. Exit code 0 pass, 1 fail, 2 could not decide."
        })
final class GateCommand implements Callable<Integer> {
    enum Action { promote, rollback }

    enum Format { table, json }

    @Parameters(index = "0", paramLabel = "promote|rollback", description = "What the release would do.")
    Action action;

    @Mixin
    ConfigOption config;

    @Option(names = "--reconcile", description = "Run a fresh drift comparison of every table first (and store it).")
    boolean reconcile;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table (people) or json (machines); default: ${DEFAULT-VALUE}.")
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BridgeConfig cfg = config.load();
        GateRun.Result result;
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name()); SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            GateInput.Drift fresh = null;
            if (reconcile) {
                Instant started = Instant.now();
                DriftReport report = DriftRun.run(cfg, v1, v2, cfg.tables(), true, CompareOptions.Strategy.AUTO, 0, err);
                fresh = new GateInput.Drift(report.verdictId(), report.verdict(), started, Instant.now());
            }
            result = GateRun.decide(cfg, v1, v2, action.name(), fresh);
        } catch (GrayBridgeException | org.jdbi.v3.core.JdbiException e) {
            err.println("error: could not decide: " + e.getMessage());
            return GateDecision.Verdict.UNDECIDED.exitCode();
        }
        out.print(format == Format.json ? GateVerdictJson.render(result.decision(), result.decidedAt()) : table(result.decision()));
        out.flush();
        return result.decision().verdict().exitCode();
    }

    static String table(GateDecision d) {
        StringBuilder sb = new StringBuilder();
        String verdict = switch (d.verdict()) {
            case PASS -> "PASS";
            case FAIL -> "FAIL";
            case UNDECIDED -> "COULD NOT DECIDE";
        };
        sb.append("gate ").append(d.action()).append(": ").append(verdict).append('\n');
        for (GateDecision.Reason r : d.reasons()) {
            sb.append(String.format(Locale.ROOT, "  %-7s %-12s %s%n", r.outcome().name(), r.check(), r.detail()));
        }
        return sb.toString();
    }
}
