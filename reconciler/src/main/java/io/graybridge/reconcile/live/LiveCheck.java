package io.graybridge.reconcile.live;

import io.graybridge.mapping.Row;
import io.graybridge.mapping.TableMapping;
import io.graybridge.reconcile.CompareOptions;
import io.graybridge.reconcile.Difference;
import io.graybridge.reconcile.DifferenceListener;
import io.graybridge.reconcile.TableComparator;
import io.graybridge.reconcile.TableComparator.SideTable;
import io.graybridge.reconcile.TableComparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares one table on a live system: only differences that persist once the lanes have caught up are
 * drift.
 *
 * <ol>
 *   <li>{@link CatchUp#mark()} before the first read, then {@link TableComparator#compare} as usual, keeping
 *       the keys that differ;</li>
 *   <li>{@link CatchUp#await} until every lane applied everything committed before the mark, then
 *       {@link TableComparator#recheck} of just those keys;</li>
 *   <li>while lanes stream and keys still differ, once more with a new mark (a key changed again during the
 *       first re-check is in flight too), up to {@value #MAX_ROUNDS} re-checks.</li>
 * </ol>
 * A lane that does not catch up within its bound leaves the remaining differences undecided
 * ({@link LiveComparison#undecided()}).
 */
public final class LiveCheck {
    /** Most re-check rounds. */
    public static final int MAX_ROUNDS = 3;

    private LiveCheck() {}

    /**
     * @param maxKeys most differing keys re-checked; with more, the first read is reported as it is, with a note
     */
    public static LiveComparison compare(
            TableMapping mapping, SideTable v1, SideTable v2, CompareOptions options, CatchUp catchUp, int maxKeys) {
        CatchUp.Mark mark = catchUp.mark();
        KeyCollector first = new KeyCollector(v2.key(), maxKeys, options.listener());
        TableComparison firstRead = TableComparator.compare(mapping, v1, v2, options.withListener(first));
        long differing = firstRead.missingOnV2() + firstRead.extraOnV2() + firstRead.mismatched();
        if (differing == 0) {
            return new LiveComparison(firstRead, 0, 0, 0, null, "");
        }
        if (first.overflowed) {
            return new LiveComparison(firstRead, differing, 0, 0, null, String.format(java.util.Locale.ROOT,
                    "%,d keys differ, more than the %,d a re-check takes: reported as found in the first read", differing,
                    maxKeys));
        }
        Set<List<Object>> keys = first.keys;
        long matched = firstRead.matched();
        Duration took = firstRead.took();
        TableComparison last = firstRead;
        CatchUp.Status status = null;
        int rounds = 0;
        while (!keys.isEmpty() && rounds < MAX_ROUNDS) {
            status = catchUp.await(mark);
            if (!status.caughtUp() && rounds > 0) {
                break; // the earlier round's answer stands, but undecided
            }
            mark = catchUp.mark();
            KeyCollector again = new KeyCollector(v2.key(), Integer.MAX_VALUE, DifferenceListener.NONE);
            last = TableComparator.recheck(mapping, v1, v2, keys, options.withListener(again));
            rounds++;
            matched += last.matched();
            took = took.plus(last.took());
            keys = again.keys;
            if (!status.caughtUp() || !status.live()) {
                break; // behind: undecided; nothing streaming: nothing in flight, one re-check is the answer
            }
        }
        TableComparison merged = new TableComparison(firstRead.mapping(), firstRead.v1Rows(), firstRead.v2Rows(), matched,
                last.missingOnV2(), last.extraOnV2(), last.mismatched(), last.mismatchedColumns(), last.samples(), took,
                firstRead.path(), firstRead.pathNote(), last.differences());
        return new LiveComparison(merged, differing, first.keys.size(), rounds, status, "");
    }

    /** Collects the v2 key values (in key column order) of every difference, up to a limit. */
    private static final class KeyCollector implements DifferenceListener {
        private final List<String> keyColumns;
        private final int limit;
        private final DifferenceListener next;
        final Set<List<Object>> keys = new LinkedHashSet<>();
        boolean overflowed;

        KeyCollector(List<String> keyColumns, int limit, DifferenceListener next) {
            this.keyColumns = keyColumns;
            this.limit = limit;
            this.next = next;
        }

        @Override
        public void onDifference(Difference d) {
            next.onDifference(d);
            if (keys.size() >= limit) {
                overflowed = true;
                return;
            }
            keys.add(values(d.key(), keyColumns));
        }
    }

    /** The values of {@code columns} in {@code key}, in that order. */
    static List<Object> values(Row key, List<String> columns) {
        List<Object> out = new ArrayList<>(columns.size());
        for (String c : columns) {
            out.add(key.get(c));
        }
        return out;
    }
}
