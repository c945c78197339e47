package io.graybridge.bridge.cli;

import io.graybridge.bridge.audit.AuditEvent;
import io.graybridge.bridge.audit.EventType;
import io.graybridge.bridge.audit.JsonValues;
import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.guard.LoopGuard;
import io.graybridge.bridge.guard.MarkerTable;
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
            "each repair transaction also appends a repair.applied event (its counts and keys) to the repaired",
            "side's audit outbox, so the event commits exactly when the rows do.",
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
        try (SideDatabase v1 = SideDatabase.open(cfg.v1(), cfg.name()); SideDatabase v2 = SideDatabase.open(cfg.v2(), cfg.name())) {
            SideDatabase written = target == Side.V1 ? v1 : v2;
            Outbox outbox = !dryRun && cfg.audit().enabled() ? new Outbox(written, cfg.metadataSchema(), cfg.name()) : null;
            if (outbox != null && !outbox.exists(written)) {
                err.println("error: could not check: audit is on, but " + target.id() + " has no audit outbox yet ("
                        + cfg.metadataSchema() + ".audit_outbox on the " + written.config().describe()
                        + "): start the bridge once with 'graybridge run -c " + config.file
                        + "' so that it creates its metadata schema, then repair again. Nothing was changed.");
                return 2;
            }
            LoopGuard guard = LoopGuard.of(written.dialect(), cfg.name(), cfg.metadataSchema());
            if (!dryRun && guard instanceof MarkerTable marker && !marker.exists(written)) {
                err.println("error: could not check: " + target.id() + " is " + written.dialect().displayName() + ", where the loop guard's marker is a row"
                        + " of " + cfg.metadataSchema() + "." + MarkerTable.TABLE + " on the " + written.config().describe()
                        + ", and that table does not exist yet: start the bridge once with 'graybridge run -c "
                        + config.file + "' so that it creates its metadata, then repair again. Nothing was changed.");
                return 2;
            }
            String run = UUID.randomUUID().toString();
            for (TableMapping m : tables) {
                Reconciliation.Masker masker = new Reconciliation.Masker(m, cfg.maskedColumns());
                SideTable s1 = Reconciliation.side(v1, m);
                SideTable s2 = Reconciliation.side(v2, m);
                Repairer repairer = new Repairer(m, s1, s2, source, dryRun,
                        c -> guard.mark(c, "repair"),
                        outbox == null ? Repairer.TransactionEnd.NONE
                                : (c, done, n) -> outbox.append(c, List.of(repairEvent(cfg, run, source, m.table(target),
                                        done, n))),
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
                out.printf(Locale.ROOT, "%s -> %s: %,d keys compared (%s path); %s on %s: %,d inserted, %,d updated,"
                                + " %,d deleted%n", m.v1Table(), m.v2Table(), result.compared(), result.path().id(),
                        dryRun ? "would change" : "changed", target.id(), repairer.inserted(), repairer.updated(),
                        repairer.deleted());
                out.flush();
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

    /**
     * The {@code repair.applied} event of one repair transaction: its counts and the keys it wrote (primary keys
     * are never masked; values are left out). Appended in that transaction, so it exists exactly when they do.
     */
    static AuditEvent repairEvent(BridgeConfig cfg, String run, Side source, String table, List<Repairer.Change> written,
            int transaction) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("table", table);
        counts.put("inserted", written.stream().filter(c -> c.kind() == Repairer.Change.Kind.INSERT).count());
        counts.put("updated", written.stream().filter(c -> c.kind() == Repairer.Change.Kind.UPDATE).count());
        counts.put("deleted", written.stream().filter(c -> c.kind() == Repairer.Change.Kind.DELETE).count());
        List<Map<String, Object>> keys = new ArrayList<>(written.size());
        for (Repairer.Change c : written) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("operation", c.kind().name().toLowerCase(Locale.ROOT));
            k.put("key", JsonValues.of(c.key()));
            keys.add(k);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("bridge", cfg.name());
        data.put("from", source.id());
        data.put("target", source.other().id());
        data.put("run", run);
        data.put("transaction", transaction);
        data.put("tables", List.of(counts));
        data.put("changes", keys);
        return AuditEvent.lifecycle(cfg.name(), EventType.REPAIR_APPLIED,
                AuditEvent.stableId("repair", run, table, Integer.toString(transaction)),
                "repair/" + source.other().id(), data);
    }
}
