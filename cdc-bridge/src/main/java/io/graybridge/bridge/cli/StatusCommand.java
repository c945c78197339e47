package io.graybridge.bridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.deadletter.DeadLetterStore;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.bridge.metadata.PhaseStore;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.PrintWriter;
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

/** {@code graybridge status -c FILE}: where each lane stands, from the bridge metadata and the slots. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the phase and each lane: streaming or not, last applied position, lag, changes/s, echoes",
            "suppressed by the loop guard, conflicts by outcome and kind, open dead letters by lane and",
            "table (PAUSED: the table's changes are held), continuous verification (keys checked, findings,",
            "the newest finding) and the audit outbox on each side (events waiting for Kafka, the oldest",
            "one's age, published). Reads the bridge metadata and the replication slots, so it works whether",
            "the bridge runs or not. Changes/s is measured over --sample-seconds."
        })
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--sample-seconds", defaultValue = "1",
            description = "Seconds between the two reads that give changes/s; 0 skips it (default: ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be table or json");
        }
        BridgeConfig cfg = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            String phase = new PhaseStore(v1, cfg.metadataSchema(), cfg.name()).get();
            List<LaneStatus> first = read(cfg, v1, v2);
            List<LaneStatus> second = first;
            if (sampleSeconds > 0) {
                Thread.sleep(sampleSeconds * 1000L);
                second = read(cfg, v1, v2);
            }
            // a set: with both sides in one database, both read the same metadata
            java.util.Set<DeadLetterStore.Count> counted = new java.util.LinkedHashSet<>();
            counted.addAll(DeadLetterStore.counts(v2, cfg.metadataSchema(), cfg.name()));
            counted.addAll(DeadLetterStore.counts(v1, cfg.metadataSchema(), cfg.name()));
            List<DeadLetterStore.Count> deadLetters = new ArrayList<>(counted);
            Instant now = Instant.now();
            List<Map<String, Object>> lanes = new ArrayList<>();
            for (int i = 0; i < second.size(); i++) {
                LaneStatus s = second.get(i);
                double perSecond = sampleSeconds > 0
                        ? (s.changesApplied() + s.snapshotRows() - first.get(i).changesApplied()
                                - first.get(i).snapshotRows()) / (double) sampleSeconds
                        : 0;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("lane", s.lane());
                row.put("state", !s.enabled() ? "disabled" : s.streaming() ? "streaming" : "not running");
                row.put("position", s.position());
                row.put("lag_seconds", s.lag(now).toMillis() / 1000.0);
                row.put("wal_behind_bytes", s.walBehindBytes());
                row.put("changes_per_second", perSecond);
                row.put("snapshot_rows", s.snapshotRows());
                row.put("changes_applied", s.changesApplied());
                row.put("echoes_suppressed", s.echoesSuppressed());
                row.put("conflicts_incoming_won", s.conflictsIncomingWon());
                row.put("conflicts_current_kept", s.conflictsCurrentKept());
                row.put("conflicts_by_kind", s.conflictsByKind());
                row.put("last_applied_at", s.lastAppliedAt() == null ? null : s.lastAppliedAt().toString());
                lanes.add(row);
            }
            VerificationStore.Summary verify = new VerificationStore(v1, cfg.metadataSchema(), cfg.name()).summary();
            Map<String, Object> verification = new LinkedHashMap<>();
            verification.put("enabled", cfg.verify().enabled());
            verification.put("keys_checked", verify.keysChecked());
            verification.put("findings", verify.findings());
            verification.put("overflowed", verify.overflowed());
            if (verify.newest() != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("mapping", verify.newest().mapping());
                f.put("key", verify.newest().key());
                f.put("detail", verify.newest().detail());
                f.put("found_at", verify.newest().at().toString());
                verification.put("newest_finding", f);
            }
            Map<String, Object> audit = new LinkedHashMap<>();
            audit.put("enabled", cfg.audit().enabled());
            Map<String, Object> outboxes = new LinkedHashMap<>();
            for (Side outboxSide : Outbox.sides(cfg)) {
                SideDatabase side = outboxSide == Side.V1 ? v1 : v2;
                Outbox.Backlog b = Outbox.backlog(side, cfg.metadataSchema(), cfg.name());
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("waiting", b.waiting());
                o.put("oldest_age_seconds", b.oldestAge().toMillis() / 1000.0);
                o.put("published", b.published());
                outboxes.put(side.side().id(), o);
            }
            audit.put("outbox", outboxes);
            if (format.equals("json")) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("bridge", cfg.name());
                doc.put("phase", phase);
                doc.put("conflict_policy", cfg.conflictPolicy());
                doc.put("lanes", lanes);
                doc.put("verification", verification);
                doc.put("audit", audit);
                doc.put("dead_letters", deadLetters);
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } else {
                out.printf(Locale.ROOT, "bridge %s, phase %s, conflict policy %s%n", cfg.name(), phase,
                        cfg.conflictPolicy());
                out.printf(Locale.ROOT, "%-9s %-12s %-12s %9s %10s %12s %10s %9s %13s%n", "lane", "state",
                        "position", "lag (s)", "changes/s", "applied", "echoes", "conflicts", "won/kept");
                for (Map<String, Object> r : lanes) {
                    long won = (Long) r.get("conflicts_incoming_won");
                    long kept = (Long) r.get("conflicts_current_kept");
                    out.printf(Locale.ROOT, "%-9s %-12s %-12s %9.1f %10.1f %,12d %,10d %,9d %13s%n", r.get("lane"),
                            r.get("state"), r.get("position") == null ? "-" : r.get("position"), r.get("lag_seconds"),
                            r.get("changes_per_second"), r.get("changes_applied"), r.get("echoes_suppressed"),
                            won + kept, won + "/" + kept);
                }
                printDeadLetters(out, deadLetters);
                out.printf(Locale.ROOT, "verification: %s, %,d key(s) checked, %,d finding(s), %,d not verified (queue full)%n",
                        cfg.verify().enabled() ? "on" : "off", verify.keysChecked(), verify.findings(), verify.overflowed());
                if (verify.newest() != null) {
                    out.printf(Locale.ROOT, "newest finding: %s %s: %s%n", verify.newest().at(), verify.newest().mapping(),
                            verify.newest().detail());
                }
                if (!cfg.audit().enabled()) {
                    out.println("audit: off (audit.bootstrap-servers not set)");
                }
                for (Map.Entry<String, Object> e : outboxes.entrySet()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> o = (Map<String, Object>) e.getValue();
                    if (cfg.audit().enabled() || (Long) o.get("waiting") > 0) {
                        out.printf(Locale.ROOT, "audit outbox on %s: %,d waiting, oldest %.1f s, %,d published%n",
                                e.getKey(), o.get("waiting"), o.get("oldest_age_seconds"), o.get("published"));
                    }
                }
            }
            return 0;
        }
    }

    private static void printDeadLetters(PrintWriter out, List<DeadLetterStore.Count> counts) {
        long open = counts.stream().mapToLong(DeadLetterStore.Count::open).sum();
        out.printf(Locale.ROOT, "dead letters: %,d open%s%n", open,
                open == 0 ? "" : " (graybridge deadletters lists them; retry applies them after a mapping fix)");
        for (DeadLetterStore.Count c : counts) {
            out.printf(Locale.ROOT, "  %-9s %-24s %,6d open (%,d failed, %,d held) %,6d retried%s%n", c.lane(), c.table(),
                    c.open(), c.failed(), c.held(), c.retried(), c.paused() ? "  PAUSED" : "");
        }
    }

    private static List<LaneStatus> read(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
        List<LaneStatus> out = new ArrayList<>();
        for (Direction d : Direction.values()) {
            out.add(LaneStatus.read(cfg, d, d.source() == v1.side() ? v1 : v2, d.target() == v1.side() ? v1 : v2));
        }
        return out;
    }
}
