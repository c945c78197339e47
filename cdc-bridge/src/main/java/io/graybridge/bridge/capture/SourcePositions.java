package io.graybridge.bridge.capture;

import java.util.Locale;

/**
 * Source positions as one number that orders like the source's commit order, so the positions the delete-convergence
 * rules compare ({@link SourceChange#seen()}, a key's last application write, the barrier's position) compare with
 * {@code <}: PostgreSQL, the commit LSN of the change's transaction; MariaDB, the binlog file's sequence number in the
 * high 32 bits and the offset in the file in the low ones (binlog files stay below 4 GiB), of the position Debezium
 * stores at the transaction's end. A change's position is its transaction's: per-change LSNs of interleaved
 * transactions are not in commit order.
 */
public final class SourcePositions {
    /** No position: nothing delivered yet, or a snapshot row. Orders before every real position. */
    public static final long NONE = -1;
    /** Not known (a change not captured from a log); never compared. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private SourcePositions() {}

    /** A MariaDB binlog position ({@code mariadb-bin.000042}, offset) as one ordered number. */
    public static long binlog(String file, long pos) {
        String digits = file.substring(file.lastIndexOf('.') + 1);
        return (Long.parseLong(digits) << 32) | (pos & 0xFFFFFFFFL);
    }

    /** Readable form, for logs and status: {@code 0/16B3748} for an LSN, {@code 000042:1234} for a binlog position. */
    public static String describe(long position, boolean binlog) {
        if (position == NONE) {
            return "none";
        }
        if (position == UNKNOWN) {
            return "unknown";
        }
        if (binlog) {
            return String.format(Locale.ROOT, "%06d:%d", position >>> 32, position & 0xFFFFFFFFL);
        }
        return Long.toHexString(position >>> 32).toUpperCase(Locale.ROOT) + "/"
                + Long.toHexString(position & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    }
}
