package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge drift -c FILE}: compares both sides through the mapping and reports drift. */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = {
            "Compares every table in scope between v1 and v2 through the mapping, in key order, and reports rows",
            "on each side, matched, missing on v2, extra on v2 and mismatched (by column, with sample keys), the",
            "path used (pushdown: checksums inside the databases; slow: every row in Java), time and rows/s.",
            "Keys that differ while lanes run are checked again once every lane has applied what its source",
            "committed before the first read; only differences that persist are drift. A run over every table",
            "is stored in the bridge metadata for the gate.",
            "Exit code 0 no drift, 1 drift found, 2 could not check (the reason is printed; also when a lane is",
            "behind and differences remain)."
        })
final class DriftCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--table", paramLabel = "T", description = "Only this table (its v1 or v2 name).")
    String table;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table (people), json (machines) or markdown (tickets); default: ${DEFAULT-VALUE}.")
    DriftReport.Format format;

    @Option(names = "--samples", defaultValue = "5", paramLabel = "N",
            description = "Differences shown per table, with both values (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--path", defaultValue = "auto", paramLabel = "PATH",
            description = "auto (pushdown where the mapping allows), pushdown or slow; default: ${DEFAULT-VALUE}.")
    String path;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CompareOptions.Strategy strategy;
        try {
            strategy = CompareOptions.Strategy.valueOf(path.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("error: could not check: --path must be auto, pushdown or slow, not '" + path + "'");
            return 2;
        }
        BridgeConfig cfg = config.load();
        List<TableMapping> tables;
        try {
            tables = Reconciliation.tables(cfg, table);
        } catch (GrayBridgeException e) {
            err.println("error: could not check: " + e.getMessage());
            return 2;
        }
        DriftReport report;
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name()); SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            report = DriftRun.run(cfg, v1, v2, tables, table == null, strategy, samples, err);
        } catch (GrayBridgeException | org.jdbi.v3.core.JdbiException e) {
            err.println("error: could not check: " + e.getMessage());
            return 2;
        }
        out.print(report.render(format));
        out.flush();
        if (report.exitCode() == 2) {
            err.println("error: could not check every table; see the report");
        }
        return report.exitCode();
    }

    /**
     * Progress on stderr for long runs: on a terminal a line rewritten in place every half second, otherwise
     * a line every 5 seconds; nothing for a table compared within 2 seconds.
     */
    static final class ProgressLine implements io.graybridge.reconcile.ProgressListener {
        private static final boolean TERMINAL = System.console() != null;
        private static boolean open;
        private final PrintWriter err;
        private final String table;
        private final long start = System.nanoTime();
        private long next = start + 2_000_000_000L;

        ProgressLine(PrintWriter err, String table) {
            this.err = err;
            this.table = table;
        }

        /** The pushdown step under way, shown in the line (the whole-table step reports no rows until it ends). */
        private io.graybridge.reconcile.ProgressListener.Phase phase;

        @Override
        public void onPhase(io.graybridge.reconcile.ProgressListener.Phase value) {
            phase = value;
        }

        @Override
        public void onProgress(long rows, io.graybridge.reconcile.ComparePath path) {
            long now = System.nanoTime();
            if (now < next) {
                return;
            }
            next = now + (TERMINAL ? 500_000_000L : 5_000_000_000L);
            double seconds = (now - start) / 1e9;
            String line = String.format(Locale.ROOT, "drift: %s: %,d v1 rows compared (%s path%s), %,.0f rows/s, %.0f s",
                    table, rows, path.id(), phase == null ? "" : ": " + phase.description(), rows / seconds, seconds);
            if (TERMINAL) {
                err.print("\r" + line);
                open = true;
            } else {
                err.println(line);
            }
            err.flush();
        }

        static void finish(PrintWriter err) {
            if (open) {
                err.println();
                err.flush();
                open = false;
            }
        }
    }

}
