package io.graybridge.bridge.cli;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.guard.TransactionMarker;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Side;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Repairer;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code graybridge repair -c FILE --from v1|v2}: rewrites drifting rows on the other side. */
@Command(
        name = "repair",
        mixinStandardHelpOptions = true,
        description = {
            "Compares the tables in scope like `drift`, then rewrites every drifting row on the other side from",
            "the side named by --from, through the mapping: inserts missing rows, updates mismatched columns,",
            "deletes extra rows. Each repair transaction carries the bridge's loop-guard marker first, so the",
            "bridge does not send the repair back. --dry-run prints every change and writes nothing. With audit on,",
            "a repair.applied event (counts per table) goes to the repaired side's audit outbox afterwards.",
            "Exit code 0 done (or nothing to do), 2 could not check, 3 a write failed (its transaction rolled back)."
        })
final class RepairCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--from", required = true, paramLabel = "SIDE",
            description = "The side that holds the right rows: v1 or v2.")
    String from;

    @Option(names = "--table", paramLabel = "T", description = "Only this table (its v1 or v2 name).")
    String table;

    @Option(names = "--dry-run", description = "Print what would change; change nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Side source;
        try {
            source = Side.parse(from);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage().replace("unknown side", "--from"));
            return 2;
        }
        Side target = source.other();
        BridgeConfig cfg = config.load();
        List<TableMapping> tables;
        try {
            tables = Reconciliation.tables(cfg, table);
        } catch (GrayBridgeException e) {
            err.println("error: could not check: " + e.getMessage());
            return 2;
        }
        long changes = 0;
        List<Map<String, Object>> repaired = new ArrayList<>();
        io.graybridge.bridge.db.Dialect.requirePostgreSql(cfg.v1(), cfg.v2(), "graybridge repair");
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name()); SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            SideDatabase written = target == Side.V1 ? v1 : v2;
            for (TableMapping m : tables) {
                Reconciliation.Masker masker = new Reconciliation.Masker(m, cfg.maskedColumns());
                SideTable s1 = Reconciliation.side(v1, m);
                SideTable s2 = Reconciliation.side(v2, m);
                Repairer repairer = new Repairer(m, s1, s2, source, dryRun,
                        c -> TransactionMarker.mark(c, written.dialect(), cfg.name(), "repair"),
                        change -> {
                            if (dryRun) {
                                out.println("would " + change.kind().name().toLowerCase(Locale.ROOT) + " "
                                        + change.table() + " " + masker.row(target, change.key())
                                        + (change.values().size() == 0 ? "" : " set " + masker.row(target, change.values())));
                            }
                        },
                        Reconciliation.equivalence(cfg));
                TableComparison result;
                try (repairer) {
                    result = TableComparator.compare(m, s1, s2, CompareOptions.defaults()
                            .withSampleLimit(0)
                            .withEquivalence(Reconciliation.equivalence(cfg))
                            .withListener(repairer));
                }
                changes += repairer.inserted() + repairer.updated() + repairer.deleted();
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("table", m.table(target));
                t.put("inserted", repairer.inserted());
                t.put("updated", repairer.updated());
                t.put("deleted", repairer.deleted());
                repaired.add(t);
                out.printf(Locale.ROOT, "%s -> %s: %,d keys compared (%s path); %s on %s: %,d inserted, %,d updated,"
                                + " %,d deleted%n", m.v1Table(), m.v2Table(), result.compared(), result.path().id(),
                        dryRun ? "would change" : "changed", target.id(), repairer.inserted(), repairer.updated(),
                        repairer.deleted());
                out.flush();
            }
            if (!dryRun && changes > 0 && cfg.audit().enabled()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("bridge", cfg.name());
                data.put("from", source.id());
                data.put("target", target.id());
                data.put("tables", repaired);
                AuditEvent event = AuditEvent.lifecycle(cfg.name(), EventType.REPAIR_APPLIED,
                        UUID.randomUUID().toString(), "repair/" + target.id(), data);
                Outbox outbox = new Outbox(written, cfg.metadataSchema(), cfg.name());
                written.useTransaction(h -> outbox.append(h, event));
            }
        } catch (GrayBridgeException e) {
            err.println("error: " + (e.code().exitCode() == 2 || e.code() == io.graybridge.error.ErrorCode.DATABASE_UNAVAILABLE
                    ? "could not check: " : "") + e.getMessage());
            return e.code() == io.graybridge.error.ErrorCode.DATABASE_UNAVAILABLE ? 2 : e.code().exitCode();
        }
        out.println(dryRun ? "DRY RUN: " + changes + " change(s) would be made on " + target.id() + "; nothing was written"
                : "REPAIRED: " + changes + " change(s) made on " + target.id() + " from " + source.id()
                        + ", each transaction marked for the loop guard");
        return 0;
    }
}
