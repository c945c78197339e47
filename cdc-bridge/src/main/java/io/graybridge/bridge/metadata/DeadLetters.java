package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import java.util.List;

/**
 * How many dead letters (rows that could not be mapped or applied) wait, for the gate. Behind an interface
 * so the dead-letter feature plugs in its own reading; {@link #fromTable} counts the rows of a metadata
 * table on every side and says "dead letters not tracked" where the table does not exist.
 */
@FunctionalInterface
public interface DeadLetters {
    /** The table {@link #fromTable} reads unless told otherwise. */
    String DEFAULT_TABLE = "dead_letter";

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
     * Counts the open rows ({@code status = 'open'}: not retried yet) of {@code table} in the metadata
     * schema of each side; 0 with a note where it is missing.
     */
    static DeadLetters fromTable(List<SideDatabase> sides, String metadataSchema, String table) {
        return () -> {
            long total = 0;
            int tracked = 0;
            for (SideDatabase side : distinct(sides)) {
                String qualified = side.dialect().qualified(metadataSchema, table);
                if (LaneStatus.exists(side, qualified)) {
                    tracked++;
                    total += side.withHandle(h -> h.createQuery("SELECT count(*) FROM " + qualified + " WHERE status = 'open'")
                            .mapTo(Long.class).one());
                }
            }
            return tracked == 0 ? new Count(0, "dead letters not tracked") : new Count(total, "");
        };
    }
}
