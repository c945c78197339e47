package io.graybridge.bridge.apply;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/** Sorts database failures into transient (retry with backoff) and permanent (stop and report). */
final class Retry {
    private Retry() {}

    /**
     * Transient: lost or refused connection (SQLState class 08), serialization failure (40001), deadlock
     * (40P01), server shutting down (57P01..57P03), too many connections (53300), and a unique violation
     * (23505): the writer inserts only keys it found missing, so a violation means the target's application
     * inserted the key meanwhile, and a retry reads it and resolves the conflict (a violation of another
     * unique index fails the same way each time and stops the lane after the retries). Everything else
     * (other constraints, types, missing columns) is permanent: retrying would fail the same way.
     */
    static boolean isTransient(SQLException e) {
        if (e == null) {
            return true;
        }
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s instanceof SQLTransientException) {
                return true;
            }
            String state = s.getSQLState();
            if (state != null
                    && (state.startsWith("08")
                            || state.equals("40001")
                            || state.equals("40P01")
                            || state.startsWith("57P0")
                            || state.equals("53300")
                            || state.equals("23505"))) {
                return true;
            }
        }
        return false;
    }

    /** 200 ms, doubling, at most 5 s. */
    static long backoffMillis(int attempt) {
        return Math.min(5_000L, 200L << Math.min(attempt - 1, 5));
    }
}
