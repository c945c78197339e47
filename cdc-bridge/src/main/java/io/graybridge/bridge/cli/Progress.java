package io.graybridge.bridge.cli;

import io.graybridge.bridge.audit.Outbox;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lane.LaneStats;
import java.util.Locale;
import java.util.Map;

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

    /** The audit relays: published since start, waiting in each side's outbox, and Kafka's state. */
    static String audit(Bridge bridge, BridgeConfig cfg) {
        StringBuilder sb = new StringBuilder("audit:");
        bridge.relays().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Outbox.Backlog b = Outbox.backlog(bridge.side(e.getKey()), cfg.metadataSchema(), cfg.name());
            sb.append(String.format(Locale.ROOT, " outbox %s: %,d published, %,d waiting (oldest %d s)%s;",
                    e.getKey().id(), e.getValue().published(), b.waiting(), b.oldestAge().toSeconds(),
                    e.getValue().lastError() == null ? "" : ", Kafka unreachable"));
        });
        return sb.substring(0, sb.length() - 1);
    }
}
