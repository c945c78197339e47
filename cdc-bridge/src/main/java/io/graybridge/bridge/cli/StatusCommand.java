package io.graybridge.bridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.deadletter.DeadLetterStore;
import io.graybridge.bridge.metadata.LaneStatus;
import io.graybridge.bridge.lifecycle.Lifecycle;
import io.graybridge.bridge.lifecycle.Phase;
import io.graybridge.bridge.lifecycle.PhaseJournal;
import io.graybridge.bridge.metadata.DriftRecords;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
            "Shows the release phase (since when, and the transition that made it), each lane (state:",
            "snapshot, streaming, not running, stopped after finalize; last applied position, lag, changes/s,",
            "echoes suppressed by the loop guard, conflicts by outcome and kind; under a fixed conflict policy",
            "with both lanes on: what a lane waits for at the conflict barrier (another lane that must run)",
            "and its key_write rows pruned), open dead letters by lane",
            "and table (PAUSED: the table's changes are held), the audit outbox on each side (events waiting",
            "for Kafka, the oldest one's age, published), the last drift result and its age, the last gate",
            "decision, and continuous verification. Reads the bridge metadata and the replication slots, so",
            "it works whether the bridge runs or not. A lane that captures MariaDB or MySQL has no slot: whether its",
            "binlog reader runs is not visible from outside the bridge process; its state is 'caught up' or",
            "'behind' from the binlog after its last applied position (SHOW BINLOG EVENTS: transactions on the",
            "mapped tables still to apply; needs BINLOG MONITOR), 'unknown' when that cannot be read.",
            "Changes/s is measured over --sample-seconds, or between two snapshots with --watch."
        })
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--sample-seconds", defaultValue = "1",
            description = "Seconds between the two reads that give changes/s; 0 skips it (default: ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "5", paramLabel = "SECONDS",
            description = "Redraw every SECONDS (default 5) until interrupted; on a terminal the screen is redrawn,"
                    + " otherwise each snapshot is printed after the last.")
    Integer watchSeconds;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N snapshots.")
    Integer count;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be table or json");
        }
        if (watchSeconds != null && watchSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--watch takes a number of seconds of at least 1");
        }
        BridgeConfig cfg = config.load();
        PrintWriter out = spec.commandLine().getOut();
        boolean terminal = System.console() != null;
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            Sample previous = null;
            if (sampleSeconds > 0) {
                previous = Sample.read(cfg, v1, v2);
                Thread.sleep(sampleSeconds * 1000L);
            }
            for (int n = 1; ; n++) {
                Sample now = Sample.read(cfg, v1, v2);
                Map<String, Object> doc = snapshot(cfg, v1, v2, previous, now);
                if (watchSeconds != null && terminal && format.equals("table")) {
                    out.print("\033[H\033[2J");
                }
                if (format.equals("json")) {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
                } else {
                    printTable(out, cfg, doc);
                }
                out.flush();
                if (watchSeconds == null || (count != null && n >= count)) {
                    return 0;
                }
                previous = now;
                Thread.sleep(watchSeconds * 1000L);
                if (!terminal && format.equals("table")) {
                    out.println();
                }
            }
        }
    }

    /** The lanes' counters at one moment. */
    private record Sample(List<LaneStatus> lanes, long atNanos) {
        static Sample read(BridgeConfig cfg, SideDatabase v1, SideDatabase v2) {
            List<LaneStatus> out = new ArrayList<>();
            for (Direction d : Direction.values()) {
                out.add(LaneStatus.read(cfg, d, d.source() == v1.side() ? v1 : v2, d.target() == v1.side() ? v1 : v2));
            }
            return new Sample(out, System.nanoTime());
        }
    }

    /** One status snapshot as a JSON-ready document (also what the table shows). */
    static Map<String, Object> snapshot(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, Sample previous, Sample sample) {
        Instant now = Instant.now();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bridge", cfg.name());
        PhaseJournal journal = Lifecycle.journal(cfg, v1);
        Optional<PhaseJournal.State> state = journal.state();
        Phase phase = state.map(PhaseJournal.State::phase).orElseGet(() -> Lifecycle.initialPhase(cfg, v1, v2));
        doc.put("phase", phase.id());
        Map<String, Object> phaseDoc = new LinkedHashMap<>();
        phaseDoc.put("name", phase.id());
        phaseDoc.put("stored", state.isPresent());
        phaseDoc.put("since", state.map(s -> s.since().toString()).orElse(null));
        phaseDoc.put("age_seconds", state.map(s -> seconds(Duration.between(s.since(), now))).orElse(null));
        phaseDoc.put("next_steps", phase.nextSteps());
        Optional<PhaseJournal.Transition> last = journal.latest();
        phaseDoc.put("last_transition", last.map(StatusCommand::transition).orElse(null));
        phaseDoc.put("unfinished_transition", journal.ready() ? journal.pending().map(StatusCommand::transition).orElse(null) : null);
        doc.put("phase_detail", phaseDoc);
        doc.put("conflict_policy", cfg.conflictPolicy());

        List<Map<String, Object>> lanes = new ArrayList<>();
        for (int i = 0; i < sample.lanes().size(); i++) {
            LaneStatus s = sample.lanes().get(i);
            double perSecond = 0;
            if (previous != null) {
                LaneStatus p = previous.lanes().get(i);
                double secs = (sample.atNanos() - previous.atNanos()) / 1e9;
                perSecond = secs <= 0 ? 0 : (s.changesApplied() + s.snapshotRows() - p.changesApplied() - p.snapshotRows()) / secs;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("lane", s.lane());
            row.put("state", laneState(s, phase));
            row.put("capture_state_visible", s.captureVisible());
            if (!s.captureVisible() && s.enabled()) {
                row.put("capture_note", BINLOG_NOTE);
            }
            row.put("position", s.position());
            // a MariaDB source: lag from the binlog after the last applied position (null when it cannot be read)
            boolean lagKnown = s.captureVisible() || (s.binlog() != null && s.binlog().problem() == null);
            row.put("lag_seconds", lagKnown ? s.lag(now).toMillis() / 1000.0 : null);
            row.put("wal_behind_bytes", s.captureVisible() ? s.walBehindBytes() : null);
            if (s.binlog() != null) {
                row.put("binlog_behind_bytes", s.binlog().problem() == null ? s.binlog().behindBytes() : null);
                row.put("binlog_pending_transactions", s.binlog().problem() == null ? s.binlog().pendingTransactions()
                        : null);
                row.put("binlog_scan_complete", s.binlog().complete());
                if (s.binlog().problem() != null) {
                    row.put("binlog_problem", s.binlog().problem());
                }
            }
            row.put("last_source_commit", s.lastSourceCommit() == null ? null : s.lastSourceCommit().toString());
            row.put("changes_per_second", Math.round(perSecond * 10) / 10.0);
            row.put("snapshot_rows", s.snapshotRows());
            row.put("changes_applied", s.changesApplied());
            row.put("echoes_suppressed", s.echoesSuppressed());
            row.put("conflicts", s.conflictsIncomingWon() + s.conflictsCurrentKept());
            row.put("conflicts_incoming_won", s.conflictsIncomingWon());
            row.put("conflicts_current_kept", s.conflictsCurrentKept());
            row.put("conflicts_by_kind", s.conflictsByKind());
            row.put("last_applied_at", s.lastAppliedAt() == null ? null : s.lastAppliedAt().toString());
            row.put("waiting", waiting(s.waiting(), now));
            row.put("key_writes_pruned", s.keyWritesPruned());
            lanes.add(row);
        }
        doc.put("lanes", lanes);

        // a set: with both sides in one database, both read the same metadata
        java.util.Set<DeadLetterStore.Count> counted = new java.util.LinkedHashSet<>();
        counted.addAll(DeadLetterStore.counts(v2, cfg.metadataSchema(), cfg.name()));
        counted.addAll(DeadLetterStore.counts(v1, cfg.metadataSchema(), cfg.name()));
        List<DeadLetterStore.Count> deadLetters = new ArrayList<>(counted);
        doc.put("dead_letters_open", deadLetters.stream().mapToLong(DeadLetterStore.Count::open).sum());
        doc.put("dead_letters", deadLetters);

        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("enabled", cfg.audit().enabled());
        Map<String, Object> outboxes = new LinkedHashMap<>();
        for (Side outboxSide : Outbox.sides(cfg)) {
            SideDatabase side = outboxSide == Side.V1 ? v1 : v2;
            Outbox.Backlog b = Outbox.backlog(side, cfg.metadataSchema(), cfg.name());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("waiting", b.waiting());
            o.put("oldest_age_seconds", seconds(b.oldestAge()));
            o.put("published", b.published());
            outboxes.put(side.side().id(), o);
        }
        audit.put("outbox", outboxes);
        doc.put("audit", audit);

        DriftRecords records = new DriftRecords(v1, cfg.metadataSchema(), cfg.name());
        doc.put("last_drift", records.latest().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", d.verdict());
            m.put("summary", d.summary());
            m.put("finished_at", d.finishedAt().toString());
            m.put("age_seconds", seconds(Duration.between(d.finishedAt(), now)));
            return m;
        }).orElse(null));
        doc.put("last_gate_decision", records.lastDecision().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", d.action());
            m.put("verdict", d.verdict());
            m.put("decided_at", d.decidedAt().toString());
            m.put("age_seconds", seconds(Duration.between(d.decidedAt(), now)));
            m.put("decision_id", d.decisionId());
            return m;
        }).orElse(null));

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
        doc.put("verification", verification);
        return doc;
    }

    /**
     * A lane's wait at the delete-convergence barrier, as the JSON document shows it ({@code null}: not waiting): the
     * lane it waits for, the position that lane must pass and what it stored (or, under two-way latest-wins, what its
     * capture read), since when, and whether the stored wait
     * is stale (not refreshed for a while: the process that waited is gone).
     */
    static Map<String, Object> waiting(LaneStatus.Wait w, Instant now) {
        if (w == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("for_lane", w.forLane());
        m.put("to_pass", w.targetPosition());
        String reached = w.storedPosition();
        boolean captured = reached != null
                && reached.startsWith(io.graybridge.bridge.apply.ConvergenceBarrier.CAPTURED_PREFIX);
        // two-way latest-wins waits for what the other lane's capture read, the fixed policies for what it stored
        m.put("it_stored", captured ? null : reached);
        m.put("its_capture_read", captured
                ? reached.substring(io.graybridge.bridge.apply.ConvergenceBarrier.CAPTURED_PREFIX.length()) : null);
        m.put("since", w.since() == null ? null : w.since().toString());
        m.put("seconds", w.since() == null ? null : seconds(Duration.between(w.since(), now)));
        m.put("updated_at", w.updatedAt() == null ? null : w.updatedAt().toString());
        m.put("stale", w.stale(now));
        m.put("text", waitText(m, now, w.updatedAt()));
        return m;
    }

    /** "waiting for lane v1-to-v2 to pass 0/3A1B2C0 since 12 s; it stored 0/3A1B000". */
    private static String waitText(Map<String, Object> m, Instant now, Instant updatedAt) {
        StringBuilder b = new StringBuilder("waiting for lane ").append(m.get("for_lane")).append(" to pass ")
                .append(m.get("to_pass"));
        if (m.get("seconds") != null) {
            b.append(" since ").append(ago((Double) m.get("seconds")));
        }
        if (m.get("its_capture_read") != null) {
            b.append("; its capture read ").append(m.get("its_capture_read"));
        } else {
            b.append("; it stored ").append(m.get("it_stored"));
        }
        if (Boolean.TRUE.equals(m.get("stale"))) {
            b.append(" (not refreshed for ").append(updatedAt == null ? "?"
                    : ago(seconds(Duration.between(updatedAt, now)))).append(": the bridge process that waited may be"
                    + " gone; its next start clears this)");
        } else {
            b.append(" (lane ").append(m.get("for_lane")).append(" must run for this lane to decide conflicts)");
        }
        return b.toString();
    }

    /** What status says of a lane that captures MariaDB or MySQL, whose binlog reader it cannot see. */
    static final String BINLOG_NOTE = "the source is MariaDB or MySQL: whether its binlog reader runs (snapshot, streaming)"
            + " is not visible from outside the bridge process; state and lag come from the binlog after the last"
            + " applied position: 'caught up' when no transaction on the mapped tables follows it, 'behind' with"
            + " binlog_pending_transactions otherwise (run's log and /health/ready tell whether it streams)";

    /**
     * disabled, snapshot (slot held, backfill running), streaming, stopped (finalized) or not running; for a lane
     * that captures MariaDB, whose binlog reader has no slot to read: disabled, stopped, caught up (nothing on the
     * mapped tables after its position in the binlog), behind, or unknown (no position yet, binlog unreadable).
     */
    static String laneState(LaneStatus s, Phase phase) {
        if (!s.enabled()) {
            return "disabled";
        }
        if (!s.captureVisible()) {
            if (phase == Phase.FINALIZED) {
                return "stopped";
            }
            if (s.binlog() == null || s.binlog().problem() != null) {
                return "unknown";
            }
            return s.binlog().caughtUp() ? "caught up" : "behind";
        }
        if (s.streaming()) {
            return "streaming";
        }
        if (s.slotActive()) {
            return "snapshot";
        }
        return phase == Phase.FINALIZED ? "stopped" : "not running";
    }

    private static Map<String, Object> transition(PhaseJournal.Transition t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("command", t.command());
        m.put("from", t.from().id());
        m.put("to", t.to().id());
        m.put("status", t.status());
        m.put("forced", t.forced());
        m.put("reason", t.reason());
        m.put("gate_action", t.gateAction());
        m.put("gate_verdict", t.gateVerdict());
        m.put("gate_decision_id", t.gateDecisionId());
        m.put("actor", t.actor());
        m.put("host", t.host());
        m.put("started_at", t.startedAt().toString());
        m.put("completed_at", t.completedAt() == null ? null : t.completedAt().toString());
        return m;
    }

    private static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, BridgeConfig cfg, Map<String, Object> doc) {
        Map<String, Object> phase = (Map<String, Object>) doc.get("phase_detail");
        out.printf(Locale.ROOT, "bridge %s, phase %s%s, conflict policy %s%n", cfg.name(), phase.get("name"),
                phase.get("since") == null ? " (not stored yet)"
                        : String.format(Locale.ROOT, " since %s (%s ago)", phase.get("since"), ago((Double) phase.get("age_seconds"))),
                cfg.conflictPolicy());
        Map<String, Object> last = (Map<String, Object>) phase.get("last_transition");
        if (last != null && "done".equals(last.get("status"))) {
            out.printf(Locale.ROOT, "  last move: %s -> %s by %s on %s at %s, gate %s%s%n", last.get("from"), last.get("to"),
                    last.get("actor"), last.get("host"), last.get("completed_at"),
                    last.get("gate_verdict") == null ? "none" : ((String) last.get("gate_verdict")).toUpperCase(Locale.ROOT),
                    Boolean.TRUE.equals(last.get("forced")) ? ", FORCED: " + last.get("reason") : "");
        }
        Map<String, Object> pending = (Map<String, Object>) phase.get("unfinished_transition");
        if (pending != null) {
            out.printf(Locale.ROOT, "  UNFINISHED: %s (%s -> %s) started at %s by %s; run `graybridge %s` to complete it%n",
                    pending.get("command"), pending.get("from"), pending.get("to"), pending.get("started_at"),
                    pending.get("actor"), pending.get("command"));
        }
        out.printf(Locale.ROOT, "  %s%n", phase.get("next_steps"));
        out.printf(Locale.ROOT, "%-9s %-12s %-12s %9s %10s %12s %10s %9s %13s%n", "lane", "state",
                "position", "lag (s)", "changes/s", "applied", "echoes", "conflicts", "won/kept");
        for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("lanes")) {
            long won = (Long) r.get("conflicts_incoming_won");
            long kept = (Long) r.get("conflicts_current_kept");
            out.printf(Locale.ROOT, "%-9s %-12s %-12s %9s %10.1f %,12d %,10d %,9d %13s%n", r.get("lane"),
                    r.get("state"), r.get("position") == null ? "-" : r.get("position"),
                    r.get("lag_seconds") == null ? "?" : String.format(Locale.ROOT, "%.1f", r.get("lag_seconds")),
                    r.get("changes_per_second"), r.get("changes_applied"), r.get("echoes_suppressed"),
                    won + kept, won + "/" + kept);
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("lanes")) {
            Map<String, Object> w = (Map<String, Object>) r.get("waiting");
            if (w != null) {
                out.printf(Locale.ROOT, "  %s: %s%n", r.get("lane"), w.get("text"));
            }
            if ((Long) r.get("key_writes_pruned") > 0) {
                out.printf(Locale.ROOT, "  %s: %,d key_write row(s) pruned%n", r.get("lane"), r.get("key_writes_pruned"));
            }
        }
        for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("lanes")) {
            if (r.get("capture_note") != null) {
                out.printf(Locale.ROOT, "  %s: %s; last applied %s%n", r.get("lane"), r.get("capture_note"),
                        r.get("last_applied_at") == null ? "never" : r.get("last_applied_at"));
                if (r.get("binlog_problem") != null) {
                    out.printf(Locale.ROOT, "  %s: binlog not read: %s%n", r.get("lane"), r.get("binlog_problem"));
                } else if (r.containsKey("binlog_pending_transactions")) {
                    out.printf(Locale.ROOT, "  %s: %,d transaction(s) on the mapped tables to apply%s, %,d binlog"
                            + " byte(s) after its position%n", r.get("lane"), r.get("binlog_pending_transactions"),
                            Boolean.TRUE.equals(r.get("binlog_scan_complete")) ? "" : " at least", r.get("binlog_behind_bytes"));
                }
            }
        }
        printDeadLetters(out, (List<DeadLetterStore.Count>) doc.get("dead_letters"));
        Map<String, Object> audit = (Map<String, Object>) doc.get("audit");
        if (!cfg.audit().enabled()) {
            out.println("audit: off (audit.bootstrap-servers not set)");
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) audit.get("outbox")).entrySet()) {
            Map<String, Object> o = (Map<String, Object>) e.getValue();
            if (cfg.audit().enabled() || (Long) o.get("waiting") > 0) {
                out.printf(Locale.ROOT, "audit outbox on %s: %,d waiting, oldest %.1f s, %,d published%n",
                        e.getKey(), o.get("waiting"), o.get("oldest_age_seconds"), o.get("published"));
            }
        }
        Map<String, Object> drift = (Map<String, Object>) doc.get("last_drift");
        out.println(drift == null ? "last drift result: none (graybridge drift runs one)"
                : String.format(Locale.ROOT, "last drift result: %s, %s ago: %s", ((String) drift.get("verdict")).toUpperCase(Locale.ROOT),
                        ago((Double) drift.get("age_seconds")), drift.get("summary")));
        Map<String, Object> gate = (Map<String, Object>) doc.get("last_gate_decision");
        out.println(gate == null ? "last gate decision: none (graybridge gate promote|rollback makes one)"
                : String.format(Locale.ROOT, "last gate decision: %s %s, %s ago (decision %s)", gate.get("action"),
                        ((String) gate.get("verdict")).toUpperCase(Locale.ROOT), ago((Double) gate.get("age_seconds")),
                        gate.get("decision_id") == null ? "-" : gate.get("decision_id")));
        Map<String, Object> verify = (Map<String, Object>) doc.get("verification");
        out.printf(Locale.ROOT, "verification: %s, %,d key(s) checked, %,d finding(s), %,d not verified (queue full)%n",
                cfg.verify().enabled() ? "on" : "off", verify.get("keys_checked"), verify.get("findings"), verify.get("overflowed"));
        Map<String, Object> newest = (Map<String, Object>) verify.get("newest_finding");
        if (newest != null) {
            out.printf(Locale.ROOT, "newest finding: %s %s: %s%n", newest.get("found_at"), newest.get("mapping"), newest.get("detail"));
        }
    }

    /** 42 s, 5 min 3 s, 2 h 7 min, 3 d 4 h. */
    static String ago(double seconds) {
        long s = (long) seconds;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
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
}
