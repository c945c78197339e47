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
 * comparison per batch. In-process, a test may also {@link #pauseWith pause} a lane's batch at a named point.
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

    /**
     * Test-only, in-process: called where a lane's writer {@link #pause pauses} ({@code before-hold}: after the batch's
     * locked read and before it holds the keys it found missing; {@code after-hold}: right after; see {@link
     * MissingKeyHold}), on the lane's apply thread, inside the batch's transaction; {@code before-batch}: on the apply
     * thread before each batch, outside any transaction (capture's {@code ApplyThread}). It may block the batch there.
     */
    @FunctionalInterface
    public interface Pause {
        void at(String where, String lane) throws InterruptedException;
    }

    private static volatile Pause pause;

    /** Installs {@code p} in this process (tests only); {@code null} removes it. */
    public static void pauseWith(Pause p) {
        pause = p;
    }

    /** Calls the installed {@link Pause}, if any, at {@code where} for {@code lane}: one volatile read when none is. */
    public static void pause(String where, String lane) throws InterruptedException {
        Pause p = pause;
        if (p != null) {
            p.at(where, lane);
        }
    }

    public static void reached(String where, long batchNumber) {
        if (WHERE != null && WHERE.equals(where) && AT == batchNumber) {
            LOG.warn("GRAYBRIDGE_CRASHPOINT {}:{} reached: halting the process now", where, batchNumber);
            Runtime.getRuntime().halt(137);
        }
    }
}
