package io.graybridge.bridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.DeadLetters;
import io.graybridge.bridge.metadata.DriftRecords;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.bridge.metadata.LaneWatermarks;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.gate.Gate;
import io.graybridge.reconcile.gate.GateDecision;
import io.graybridge.reconcile.gate.GateInput;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        GateDecision decision;
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name()); SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            decision = decide(cfg, v1, v2, err);
        } catch (GrayBridgeException | org.jdbi.v3.core.JdbiException e) {
            err.println("error: could not decide: " + e.getMessage());
            return GateDecision.Verdict.UNDECIDED.exitCode();
        }
        out.print(render(decision, format));
        out.flush();
        return decision.verdict().exitCode();
    }

    private GateDecision decide(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, PrintWriter err) {
        DriftRecords records = new DriftRecords(v1, cfg.metadataSchema(), cfg.name());
        GateInput.Drift drift;
        if (reconcile) {
            Instant started = Instant.now();
            DriftReport report = DriftRun.run(cfg, v1, v2, cfg.tables(), true, CompareOptions.Strategy.AUTO, 0, err);
            drift = new GateInput.Drift(report.verdictId(), report.verdict(), started, Instant.now());
        } else {
            drift = records.latest().orElse(null);
        }
        List<GateInput.Lane> lanes = lanes(cfg, v1, v2);
        Instant since = drift == null ? Instant.EPOCH : drift.startedAt();
        GateInput input = new GateInput(action.name(), drift, lanes, conflictsSince(cfg, List.of(v1, v2), since),
                count(DeadLetters.fromTable(List.of(v1, v2), cfg.metadataSchema(), DeadLetters.DEFAULT_TABLE).count()),
                new VerificationStore(v1, cfg.metadataSchema(), cfg.name()).findingsSince(since));
        GateDecision decision = Gate.evaluate(input, thresholds(cfg), Instant.now());
        if (records.ready()) {
            records.save(decision);
        }
        return decision;
    }

    private static GateInput.Count count(DeadLetters.Count c) {
        return new GateInput.Count(c.value(), c.note());
    }

    static Gate.Thresholds thresholds(BridgeConfig cfg) {
        BridgeConfig.Gate g = cfg.gate();
        return new Gate.Thresholds(Duration.ofSeconds(g.maxDriftAgeSeconds()), Duration.ofSeconds(g.maxLagSeconds()),
                g.maxOpenConflicts(), g.maxDeadLetters(), g.maxErrors());
    }

    /**
     * Each lane's lag: how long it took to apply everything its source had committed when the gate began
     * (waiting at most the lag limit); a lane that did not catch up is behind (and reports the age of its
     * newest applied change, or the time waited). A lane with no recorded progress has no lag ({@code null}).
     */
    private static List<GateInput.Lane> lanes(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        LaneWatermarks watermarks = new LaneWatermarks(cfg, v1, v2, cfg.catchUpTimeout());
        Map<String, LaneWatermarks.LaneCatchUp> caughtUp = watermarks.awaitEach(watermarks.mark(),
                Duration.ofSeconds(cfg.gate().maxLagSeconds()).plusMillis(500));
        List<GateInput.Lane> out = new ArrayList<>();
        Instant now = Instant.now();
        for (Direction d : Direction.values()) {
            LaneStatus s = LaneStatus.read(cfg, d, d.source() == v1.side() ? v1 : v2, d.target() == v1.side() ? v1 : v2);
            LaneWatermarks.LaneCatchUp c = caughtUp.get(d.laneName());
            Duration lag = null;
            if (s.lastAppliedAt() != null) {
                lag = c.caughtUp() ? c.waited() : s.lag(now).compareTo(c.waited()) > 0 ? s.lag(now) : c.waited();
            }
            out.add(new GateInput.Lane(d.laneName(), s.enabled(), s.streaming(), lag, c.caughtUp(),
                    c.caughtUp() ? "" : c.description()));
        }
        return out;
    }

    /** Conflicts recorded on either side at or after {@code since}. */
    private static Long conflictsSince(BridgeConfig cfg, List<SideDatabase> sides, Instant since) {
        long total = 0;
        for (SideDatabase side : DeadLetters.distinct(sides)) {
            String table = side.dialect().qualified(cfg.metadataSchema(), "conflict_log");
            if (!LaneStatus.exists(side, table)) {
                continue; // the bridge never ran here: no conflicts recorded
            }
            total += side.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table
                            + " WHERE bridge = :b AND recorded_at >= :s")
                    .bind("b", cfg.name())
                    .bind("s", java.sql.Timestamp.from(since))
                    .mapTo(Long.class)
                    .one());
        }
        return total;
    }

    static String render(GateDecision d, Format format) throws Exception {
        if (format == Format.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("action", d.action());
            doc.put("verdict", d.verdict().id());
            doc.put("pass", d.verdict() == GateDecision.Verdict.PASS);
            List<Map<String, Object>> reasons = new ArrayList<>();
            for (GateDecision.Reason r : d.reasons()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("check", r.check());
                m.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
                m.put("detail", r.detail());
                reasons.add(m);
            }
            doc.put("reasons", reasons);
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        }
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
