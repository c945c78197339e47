package io.graybridge.bridge.cli;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.metadata.DriftRecords;
import io.graybridge.bridge.metadata.LaneWatermarks;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.TableComparison;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.live.CatchUp;
import io.graybridge.reconcile.live.LiveCheck;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One drift run as {@code drift} and {@code gate --reconcile} make it: each table compared, the keys that
 * differed re-checked once the lanes caught up past the first read ({@link LiveCheck} with
 * {@link LaneWatermarks}), and, when every table in scope was compared, the result stored in the bridge
 * metadata for the gate.
 */
final class DriftRun {
    /** Most differing keys per table re-checked after the lanes catch up. */
    static final int MAX_RECHECK_KEYS = 100_000;

    private DriftRun() {}

    /**
     * @param all whether {@code tables} are all the tables in scope (only then is the result stored)
     * @param err where progress lines go
     */
    static DriftReport run(BridgeConfig cfg, SideDatabase v1, SideDatabase v2, List<TableMapping> tables, boolean all,
            CompareOptions.Strategy strategy, int samples, PrintWriter err) {
        Instant started = Instant.now();
        CatchUp catchUp = new LaneWatermarks(cfg, v1, v2, cfg.catchUpTimeout());
        List<DriftReport.Entry> entries = new ArrayList<>();
        for (TableMapping m : tables) {
            Reconciliation.Masker masker = new Reconciliation.Masker(m, cfg.maskedColumns());
            try {
                SideTable s1 = Reconciliation.side(v1, m);
                SideTable s2 = Reconciliation.side(v2, m);
                CompareOptions options = CompareOptions.defaults()
                        .withStrategy(strategy)
                        .withSampleLimit(Math.max(0, samples))
                        .withEquivalence(Reconciliation.equivalence(cfg))
                        .withProgress(new DriftCommand.ProgressLine(err, m.v1Table() + " -> " + m.v2Table()));
                entries.add(DriftReport.Entry.of(m, masker, LiveCheck.compare(m, s1, s2, options, catchUp, MAX_RECHECK_KEYS)));
                DriftCommand.ProgressLine.finish(err);
            } catch (GrayBridgeException e) {
                DriftCommand.ProgressLine.finish(err);
                entries.add(new DriftReport.Entry(m, masker, null, e.getMessage()));
            }
        }
        DriftReport report = new DriftReport(entries);
        DriftRecords records = new DriftRecords(v1, cfg.metadataSchema(), cfg.name());
        if (all && records.ready()) {
            List<TableComparison> done = entries.stream().filter(e -> e.result() != null).map(DriftReport.Entry::result)
                    .toList();
            records.save(new DriftRecords.DriftResult(report.verdictId(), report.verdict(), started, Instant.now(),
                    done.stream().mapToLong(TableComparison::compared).sum(),
                    done.stream().mapToLong(TableComparison::missingOnV2).sum(),
                    done.stream().mapToLong(TableComparison::extraOnV2).sum(),
                    done.stream().mapToLong(TableComparison::mismatched).sum(),
                    report.render(DriftReport.Format.json)));
        }
        return report;
    }
}
