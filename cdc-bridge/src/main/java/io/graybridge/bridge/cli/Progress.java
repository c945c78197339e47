package io.graybridge.bridge.cli;

import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lane.LaneStats;
import java.util.Locale;

/** One-line progress of a lane for operators. */
final class Progress {
    private Progress() {}

    static String line(Lane lane) {
        LaneStats s = lane.stats();
        return String.format(Locale.ROOT,
                "lane %s %s: backfilled %,d rows, streamed %,d changes in %,d batches, lag p50 %d ms, p99 %d ms",
                lane.name(), lane.state().name().toLowerCase(Locale.ROOT), s.snapshotRows(), s.streamedChanges(),
                s.batches(), s.lag(50).toMillis(), s.lag(99).toMillis());
    }
}
