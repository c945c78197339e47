package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.deadletter.DeadLetter;
import io.graybridge.bridge.deadletter.DeadLetterStore;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.mapping.Direction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code graybridge deadletters -c FILE [list|retry] [--table T]}: the changes the lanes could not map. */
@Command(
        name = "deadletters",
        mixinStandardHelpOptions = true,
        description = {
            "list (the default) shows every open dead letter: source changes a lane could not map, with the",
            "error, the source key and position, and the changes held behind them while their table is paused.",
            "retry re-applies them in source order through the current mapping and the lane's writer (conflict",
            "check, loop-guard marker), after you fixed the mapping; a table whose dead letters all apply is",
            "unpaused, and a running bridge picks it up at its next batch. A dead letter that still fails stops",
            "its table there, with the new error. --table limits either to one source table.",
            "Exit code 0 none left open, 1 some are still open (list: there are some), 2 bad config,",
            "3 database failure."
        })
final class DeadLettersCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", arity = "0..1", defaultValue = "list", paramLabel = "ACTION",
            description = "list or retry (default: ${DEFAULT-VALUE})")
    String action;

    @Option(names = "--table", paramLabel = "T", description = "Only this source table.")
    String table;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("list") && !action.equals("retry")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "ACTION must be list or retry, not '" + action + "'");
        }
        BridgeConfig cfg = config.load();
        PrintWriter out = spec.commandLine().getOut();
        int open = action.equals("list") ? list(cfg, out) : retry(cfg, out);
        out.flush();
        return open == 0 ? 0 : 1;
    }

    private int list(BridgeConfig cfg, PrintWriter out) {
        int total = 0;
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name());
                SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            for (Direction d : Direction.values()) {
                SideDatabase target = d.target() == v1.side() ? v1 : v2;
                if (DeadLetterStore.counts(target, cfg.metadataSchema(), cfg.name()).isEmpty()) {
                    continue; // no dead-letter table yet, or none of this bridge
                }
                List<DeadLetter> letters = new DeadLetterStore(target, cfg.metadataSchema(), cfg.name(), d).open(table);
                String current = null;
                for (DeadLetter letter : letters) {
                    if (!letter.table().equals(current)) {
                        current = letter.table();
                        String t = current;
                        long n = letters.stream().filter(l -> l.table().equals(t)).count();
                        boolean paused = letters.stream().anyMatch(l -> l.table().equals(t)
                                && l.policy() == io.graybridge.bridge.deadletter.DeadLetterPolicy.Action.PAUSE);
                        out.printf(Locale.ROOT, "lane %s, table %s: %d open dead letter(s)%s%n", d.laneName(), t, n,
                                paused ? ", table paused" : "");
                    }
                    out.println(describe(letter));
                    total++;
                }
            }
        }
        out.println(total == 0 ? "no open dead letters" + (table == null ? "" : " for table " + table)
                : total + " open dead letter(s); after fixing the mapping run: graybridge deadletters -c "
                        + config.file + " retry" + (table == null ? "" : " --table " + table));
        return total;
    }

    static String describe(DeadLetter d) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  #%-6d %-8s key %s  at %s", d.id(), d.change().op(), d.key(),
                d.change().position()));
        if (d.change().txId() != null) {
            sb.append(" (tx ").append(d.change().txId()).append(')');
        }
        if (d.recordedAt() != null) {
            sb.append("  recorded ").append(d.recordedAt());
        }
        if (d.attempts() > 0) {
            sb.append("  retries failed: ").append(d.attempts());
        }
        sb.append('\n');
        if (d.reason() == DeadLetter.Reason.FAILED) {
            sb.append("          failed (policy ").append(d.policy().id()).append("): ").append(d.error());
        } else {
            sb.append("          held: its table was paused by an earlier dead letter");
        }
        return sb.toString();
    }

    private int retry(BridgeConfig cfg, PrintWriter out) throws InterruptedException {
        int left = 0;
        try (Bridge bridge = Bridge.open(cfg)) {
            List<Lane> lanes = new ArrayList<>(bridge.lanes());
            for (Lane lane : lanes) {
                for (Lane.RetryResult r : lane.retryDeadLetters(table)) {
                    out.printf(Locale.ROOT, "lane %s, table %s: %d dead letter(s) applied, %d still open%s%n",
                            lane.name(), r.table(), r.retried(), r.remaining(),
                            r.complete() ? " - table unpaused" : "");
                    if (r.failed() != null) {
                        out.printf(Locale.ROOT, "  stopped at #%d (%s key %s at %s): %s%n  fix the mapping and run"
                                        + " retry again; the table stays paused%n", r.failed().id(),
                                r.failed().change().op(), r.failed().key(), r.failed().change().position(), r.error());
                    }
                    left += r.remaining();
                }
            }
            java.util.Set<String> enabled = new java.util.HashSet<>();
            lanes.forEach(l -> enabled.add(l.name()));
            java.util.Set<DeadLetterStore.Count> counts = new java.util.LinkedHashSet<>();
            for (io.graybridge.mapping.Side side : io.graybridge.mapping.Side.values()) {
                counts.addAll(DeadLetterStore.counts(bridge.side(side), cfg.metadataSchema(), cfg.name()));
            }
            for (DeadLetterStore.Count c : counts) {
                if (!enabled.contains(c.lane()) && c.open() > 0 && (table == null || table.equals(c.table()))) {
                    out.printf(Locale.ROOT, "lane %s, table %s: %d open dead letter(s) not retried: the lane is not"
                            + " enabled in %s; enable it (lanes.%s.enabled: true) to retry them%n", c.lane(), c.table(),
                            c.open(), cfg.file(), c.lane());
                    left += (int) c.open();
                }
            }
            if (left == 0) {
                out.println("no open dead letters left" + (table == null ? "" : " for table " + table));
            }
        }
        return left;
    }
}
