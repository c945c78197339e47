package io.graybridge.bridge.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.Dialect;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.guard.MarkerTable;
import io.graybridge.bridge.guard.TransactionMarker;
import io.graybridge.mapping.Direction;
import io.graybridge.reconcile.live.CatchUp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Knows when the lanes have caught up, from outside the bridge process: {@link #mark()} reads each lane's
 * source position ({@code pg_current_wal_lsn()}) and, for a streaming lane, commits a watermark (a
 * transaction holding only the bridge's marker, see {@link TransactionMarker#emitWatermark}) so the lane
 * stores a position past it even when nothing else happens. {@link #await} then waits until each lane's
 * position stored on its target ({@code lane_offset}) is at or past the mark: the lane applied every
 * transaction committed before it (logical decoding delivers in commit order).
 *
 * <p>Lanes the config disables, and lanes whose slot does not exist (never started: nothing is captured,
 * so nothing is in flight), are not waited for. A lane whose slot exists but is not streaming (the bridge
 * is stopped) and whose stored position is before the mark is <em>behind</em>: it cannot catch up while
 * stopped, so the answer is "not caught up" at once. From outside, we cannot tell whether the WAL after its
 * position holds changes for the mapped tables or only unrelated ones, so this is conservative.
 *
 * <p>A lane capturing <b>MariaDB</b> has no slot. Its mark is the binlog position ({@code SHOW MASTER STATUS},
 * file number and offset) read before a watermark is committed (a transaction bumping only the bridge's
 * {@code tx_marker} row with writer {@code watermark}, which the lane stores a position past as soon as it
 * reads it); it caught up when the binlog file and position it stored on its target ({@code lane_offset}, the
 * Debezium offset's {@code file} and {@code pos}) are at or past the mark. A lane with no stored offset never
 * ran (nothing in flight). Whether its binlog reader runs is not visible from outside the bridge; when no
 * connection of the source's user is dumping the binlog ({@code information_schema.PROCESSLIST}, own
 * connections need no grant) the lane is certainly stopped, so a lane behind its mark is reported stopped at
 * once; otherwise it is waited for up to the timeout.
 */
public final class LaneWatermarks implements CatchUp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BridgeConfig config;
    private final SideDatabase v1;
    private final SideDatabase v2;
    private final Duration timeout;

    public LaneWatermarks(BridgeConfig config, SideDatabase v1, SideDatabase v2, Duration timeout) {
        this.config = config;
        this.v1 = v1;
        this.v2 = v2;
        this.timeout = timeout;
    }

    private SideDatabase side(io.graybridge.mapping.Side side) {
        return side == io.graybridge.mapping.Side.V1 ? v1 : v2;
    }

    @Override
    public Mark mark() {
        Map<String, Long> positions = new LinkedHashMap<>();
        for (Direction d : Direction.values()) {
            LaneConfig lane = config.lane(d);
            SideDatabase source = side(d.source());
            if (lane == null || !lane.enabled()) {
                continue;
            }
            if (source.dialect().mysqlFamily()) {
                if (binlogStored(side(d.target()), d) == NO_OFFSET) {
                    continue; // never ran: nothing captured, nothing in flight
                }
                positions.put(d.laneName(), binlogPosition(source));
                try {
                    source.withHandle(h -> {
                        new MarkerTable(config.name(), config.metadataSchema()).mark(h.getConnection(),
                                TransactionMarker.WATERMARK);
                        return null;
                    });
                } catch (java.sql.SQLException | RuntimeException e) {
                    throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.DATABASE_UNAVAILABLE,
                            "cannot write the catch-up watermark for lane " + d.laneName() + " on the "
                                    + source.config().describe() + " (a row of " + config.metadataSchema() + "."
                                    + MarkerTable.TABLE + "): " + e.getMessage(), e);
                }
                continue;
            }
            if (slot(source, lane).isEmpty()) {
                continue;
            }
            positions.put(d.laneName(), source.withHandle(h -> h.createQuery(
                            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").mapTo(Long.class).one()));
            if (slot(source, lane).orElse(false)) {
                try {
                    source.withHandle(h -> TransactionMarker.emitWatermark(h.getConnection(), source.dialect(), config.name()));
                } catch (java.sql.SQLException e) {
                    throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.DATABASE_UNAVAILABLE,
                            "cannot write the catch-up watermark for lane " + d.laneName() + " on the "
                                    + source.config().describe() + ": " + e.getMessage()
                                    + " (the bridge user needs to run pg_logical_emit_message)", e);
                }
            }
        }
        return new Mark(positions);
    }

    @Override
    public Status await(Mark mark) {
        Map<String, LaneCatchUp> each = awaitEach(mark, timeout);
        return new Status(each.values().stream().allMatch(LaneCatchUp::caughtUp),
                each.values().stream().anyMatch(LaneCatchUp::live),
                String.join("; ", each.values().stream().map(LaneCatchUp::description).toList()));
    }

    /**
     * How one lane caught up to a mark.
     *
     * @param caughtUp it applied everything committed before the mark (or captures nothing: disabled, no slot)
     * @param live its capture streams
     * @param waited how long it took, or how long was waited in vain
     * @param description one line for reports
     */
    public record LaneCatchUp(boolean caughtUp, boolean live, Duration waited, String description) {}

    /** Waits for each lane in turn, all within {@code timeout} in total; by lane name, in lane order. */
    public Map<String, LaneCatchUp> awaitEach(Mark mark, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        Map<String, LaneCatchUp> out = new LinkedHashMap<>();
        for (Direction d : Direction.values()) {
            LaneConfig lane = config.lane(d);
            Long target = mark.positions().get(d.laneName());
            if (lane == null || !lane.enabled()) {
                out.put(d.laneName(), new LaneCatchUp(true, false, Duration.ZERO, "lane " + d.laneName() + " disabled"));
            } else if (target == null) {
                out.put(d.laneName(), new LaneCatchUp(true, false, Duration.ZERO, "lane " + d.laneName()
                        + " has no replication slot yet (never started): nothing in flight"));
            } else {
                out.put(d.laneName(), awaitLane(d, lane, target, started, deadline));
            }
        }
        return out;
    }

    private LaneCatchUp awaitLane(Direction d, LaneConfig lane, long target, long started, long deadline) {
        SideDatabase source = side(d.source());
        SideDatabase sink = side(d.target());
        if (source.dialect().mysqlFamily()) {
            return awaitBinlogLane(d, source, sink, target, started, deadline);
        }
        while (true) {
            long stored = storedPosition(sink, d);
            boolean active = slot(source, lane).orElse(false);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            if (stored >= target) {
                return new LaneCatchUp(true, active, waited, String.format(java.util.Locale.ROOT,
                        "lane %s caught up (applied past %s within %.1f s)", d.laneName(), lsn(target),
                        waited.toMillis() / 1000.0));
            }
            String behind = String.format(java.util.Locale.ROOT, "stored position %s, %,d bytes of WAL before %s,"
                    + " the source's position at the first read", stored < 0 ? "none" : lsn(stored),
                    stored < 0 ? target : target - stored, lsn(target));
            if (!active) {
                return new LaneCatchUp(false, false, waited, "lane " + d.laneName() + " is stopped and behind (" + behind
                        + "): start the bridge so it catches up, then run again");
            }
            if (System.nanoTime() - deadline > 0) {
                return new LaneCatchUp(false, true, waited, "lane " + d.laneName() + " did not catch up within "
                        + waited.toSeconds() + " s (" + behind + "); raise reconcile.catch-up-timeout-seconds or run"
                        + " again when it has");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new LaneCatchUp(false, active, waited, "lane " + d.laneName() + ": interrupted while waiting");
            }
        }
    }

    /** {@link #awaitLane} for a lane capturing MariaDB: positions are binlog file number and offset. */
    private LaneCatchUp awaitBinlogLane(Direction d, SideDatabase source, SideDatabase sink, long target, long started,
            long deadline) {
        while (true) {
            long stored = binlogStored(sink, d);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            if (stored >= target) {
                return new LaneCatchUp(true, true, waited, String.format(java.util.Locale.ROOT,
                        "lane %s caught up (applied past binlog %s within %.1f s)", d.laneName(), binlog(target),
                        waited.toMillis() / 1000.0));
            }
            String behind = "stored binlog position " + (stored < 0 ? "none" : binlog(stored)) + ", before "
                    + binlog(target) + ", the source's position at the first read";
            if (!binlogDumping(source)) {
                return new LaneCatchUp(false, false, waited, "lane " + d.laneName() + " is stopped and behind (" + behind
                        + "; no connection of the source's user reads the binlog): start the bridge so it catches up,"
                        + " then run again");
            }
            if (System.nanoTime() - deadline > 0) {
                return new LaneCatchUp(false, true, waited, "lane " + d.laneName() + " did not catch up within "
                        + waited.toSeconds() + " s (" + behind + "; its binlog reader's state is not visible from outside"
                        + " the bridge: if the bridge is stopped, start it); raise reconcile.catch-up-timeout-seconds or"
                        + " run again when it has");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new LaneCatchUp(false, true, waited, "lane " + d.laneName() + ": interrupted while waiting");
            }
        }
    }

    /** No offset row at all for the lane (it never ran). */
    private static final long NO_OFFSET = -2;

    /**
     * The binlog position a lane capturing MariaDB stored on its target ({@link #binlogOrder}), -1 when it stored
     * only snapshot offsets so far, {@link #NO_OFFSET} when none.
     */
    private long binlogStored(SideDatabase target, Direction d) {
        String table = target.dialect().qualified(config.metadataSchema(), "lane_offset");
        if (!LaneStatus.exists(target, table)) {
            return NO_OFFSET;
        }
        List<byte[]> values = target.withHandle(h -> h.createQuery(
                        "SELECT offset_value FROM " + table + " WHERE bridge = :b AND lane = :l AND offset_value IS NOT NULL")
                .bind("b", config.name())
                .bind("l", d.laneName())
                .mapTo(byte[].class)
                .list());
        long best = values.isEmpty() ? NO_OFFSET : -1;
        for (byte[] v : values) {
            try {
                JsonNode offset = JSON.readTree(v);
                if (offset.has("file") && offset.has("pos") && !offset.path("snapshot").asText("false").equals("true")) {
                    best = Math.max(best, binlogOrder(offset.get("file").asText(), offset.get("pos").asLong()));
                }
            } catch (IOException | RuntimeException e) {
                // not an offset this bridge wrote: ignore it
            }
        }
        return best;
    }

    /** The source's binlog position now ({@link io.graybridge.bridge.db.BinlogStatus}). */
    private static long binlogPosition(SideDatabase source) {
        java.util.Optional<io.graybridge.bridge.db.BinlogStatus.Position> now;
        try {
            now = source.withHandle(h -> io.graybridge.bridge.db.BinlogStatus.current(h.getConnection(), source.dialect()));
        } catch (java.sql.SQLException e) {
            throw new io.graybridge.error.GrayBridgeException(io.graybridge.error.ErrorCode.DATABASE_UNAVAILABLE,
                    "cannot read the binlog position of the " + source.config().describe() + ": " + e.getMessage()
                            + " (the user needs " + (source.dialect() == Dialect.MYSQL ? "REPLICATION CLIENT"
                                    : "BINLOG MONITOR") + ")", e);
        }
        return now.map(p -> binlogOrder(p.file(), p.offset()))
                .orElseThrow(() -> new io.graybridge.error.GrayBridgeException(
                        io.graybridge.error.ErrorCode.CONFIG_INVALID, "the " + source.config().describe()
                                + " writes no binlog (its binlog status is empty): a lane cannot capture it"));
    }

    /** Whether some connection of the source's user reads the binlog (a running lane's reader is one). */
    private static boolean binlogDumping(SideDatabase source) {
        return source.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.PROCESSLIST"
                        + " WHERE COMMAND LIKE 'Binlog Dump%' AND USER = SUBSTRING_INDEX(USER(), '@', 1)")
                .mapTo(Long.class)
                .one()) > 0;
    }

    /**
     * A binlog position as one number that orders like the binlog: the file's sequence number (the digits after
     * its last dot) in the high 32 bits, the offset in the file (binlog files stay below 4 GiB) in the low ones.
     */
    static long binlogOrder(String file, long pos) {
        String digits = file.substring(file.lastIndexOf('.') + 1);
        return (Long.parseLong(digits) << 32) | (pos & 0xFFFFFFFFL);
    }

    static String binlog(long order) {
        return String.format(java.util.Locale.ROOT, "%06d:%d", order >>> 32, order & 0xFFFFFFFFL);
    }

    /** The slot's state: present and active, present and idle, or empty when it does not exist. */
    private static Optional<Boolean> slot(SideDatabase source, LaneConfig lane) {
        return source.withHandle(h -> h.createQuery("SELECT active FROM pg_replication_slots WHERE slot_name = :s")
                .bind("s", lane.slotName())
                .mapTo(Boolean.class)
                .findOne());
    }

    /** The newest source position the lane stored on its target, or -1. */
    private long storedPosition(SideDatabase target, Direction d) {
        String table = target.dialect().qualified(config.metadataSchema(), "lane_offset");
        if (!LaneStatus.exists(target, table)) {
            return -1;
        }
        List<byte[]> values = target.withHandle(h -> h.createQuery(
                        "SELECT offset_value FROM " + table + " WHERE bridge = :b AND lane = :l AND offset_value IS NOT NULL")
                .bind("b", config.name())
                .bind("l", d.laneName())
                .mapTo(byte[].class)
                .list());
        long best = -1;
        for (byte[] v : values) {
            try {
                JsonNode offset = JSON.readTree(v);
                if (offset.has("lsn") && !offset.path("snapshot").asBoolean(false)) {
                    best = Math.max(best, offset.get("lsn").asLong());
                }
            } catch (IOException e) {
                // not an offset this bridge wrote: ignore it
            }
        }
        return best;
    }

    static String lsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }
}
