package io.graybridge.bridge.apply;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault injection for the effectively-once proof and the lifecycle: when the environment variable
 * {@code GRAYBRIDGE_CRASHPOINT} is {@code inside-batch:N} or {@code after-commit:N}, the process halts
 * (like SIGKILL: no shutdown hooks, no cleanup) inside the N-th batch before its commit, or right after
 * the N-th commit before Debezium hears of it; {@code relay-after-send:N} halts after the audit relay's N-th
 * round was acknowledged by Kafka and before its outbox rows were deleted; {@code lifecycle-after-journal:1} halts a
 * {@code promote|rollback|finalize} after it recorded its decided transition and before it moved the phase. Unset in production; it costs one
 * comparison per batch.
 */
public final class CrashPoints {
    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);
    private static final String WHERE;
    private static final long AT;

    static {
        String spec = System.getenv("GRAYBRIDGE_CRASHPOINT");
        String where = null;
        long at = -1;
        if (spec != null && spec.contains(":")) {
            where = spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT);
            at = Long.parseLong(spec.substring(spec.indexOf(':') + 1).trim());
        }
        WHERE = where;
        AT = at;
    }

    private CrashPoints() {}

    public static void reached(String where, long batchNumber) {
        if (WHERE != null && WHERE.equals(where) && AT == batchNumber) {
            LOG.warn("GRAYBRIDGE_CRASHPOINT {}:{} reached: halting the process now", where, batchNumber);
            Runtime.getRuntime().halt(137);
        }
    }
}
