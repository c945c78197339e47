package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import java.util.List;

/**
 * How many dead letters (rows that could not be mapped) wait, for the gate; {@link #fromStore} reads them
 * from the dead-letter store and says "dead letters not tracked" where the table does not exist.
 */
@FunctionalInterface
public interface DeadLetters {
    /** The metadata table of dead letters (migration V3). */
    String TABLE = "dead_letter";

    /**
     * @param value rows waiting
     * @param note why the value is what it is (e.g. {@code dead letters not tracked}), or empty
     */
    record Count(long value, String note) {}

    Count count();

    /**
     * The sides with their own metadata schema: when both sides live in one database they share it, and
     * counting it twice would double every count.
     */
    public static List<SideDatabase> distinct(List<SideDatabase> sides) {
        java.util.Map<String, SideDatabase> byUrl = new java.util.LinkedHashMap<>();
        sides.forEach(s -> byUrl.putIfAbsent(s.config().jdbcUrl(), s));
        return List.copyOf(byUrl.values());
    }

    /**
     * Open dead letters of {@code bridge} (not retried yet, every lane), from the dead-letter store of each
     * side: the same counts {@code status} and {@code /metrics} show. 0 with a note where no side has the
     * table yet (the bridge never ran there).
     */
    static DeadLetters fromStore(List<SideDatabase> sides, String metadataSchema, String bridge) {
        return () -> {
            long total = 0;
            int tracked = 0;
            for (SideDatabase side : distinct(sides)) {
                if (LaneStatus.exists(side, side.dialect().qualified(metadataSchema, TABLE))) {
                    tracked++;
                    total += io.graybridge.bridge.deadletter.DeadLetterStore.counts(side, metadataSchema, bridge).stream()
                            .mapToLong(io.graybridge.bridge.deadletter.DeadLetterStore.Count::open)
                            .sum();
                }
            }
            return tracked == 0 ? new Count(0, "dead letters not tracked") : new Count(total, "");
        };
    }
}
