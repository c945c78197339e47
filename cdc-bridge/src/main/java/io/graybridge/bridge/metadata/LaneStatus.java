package io.graybridge.bridge.metadata;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.config.LaneConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.mapping.Direction;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the bridge metadata and the source's replication slot say about one lane, read from outside the
 * bridge process (so {@code graybridge status} works whether the bridge runs or not).
 *
 * @param lane the lane name
 * @param enabled whether config enables it
 * @param streaming whether a capture streams from the lane's slot now ({@link
 *     io.graybridge.bridge.db.ReplicationSlots#STREAMING}: its walsender started replication, so the initial
 *     snapshot is done); a lane still in its snapshot is not streaming
 * @param slotActive whether a capture holds the lane's slot (streaming, or still in its initial snapshot)
 * @param position the last source position applied
 * @param lastSourceCommit commit time of the newest change applied
 * @param lastAppliedAt when the lane last committed on the target
 * @param walBehindBytes how much source WAL the slot has not confirmed yet (-1 when the slot is missing)
 * @param changesApplied changes applied since the lane began (snapshot rows apart)
 * @param snapshotRows rows copied by the backfill
 * @param echoesSuppressed changes dropped by the loop guard
 * @param conflictsIncomingWon conflicts won by the incoming change
 * @param conflictsCurrentKept conflicts where the target's version was kept
 * @param conflictsByKind conflicts recorded in {@code conflict_log}, by kind
 * @param captureVisible whether the capture's state can be read from outside the bridge process: true for a
 *     PostgreSQL source (its slot), false for a MariaDB source (its binlog reader lives only in the bridge
 *     process; then {@code streaming} and {@code slotActive} are false and {@code walBehindBytes} is -1 whatever
 *     the lane does, and {@code binlog} tells where it stands)
 * @param binlog for a lane capturing MariaDB: what the source's binlog holds after the last applied position
 *     (caught up, or how many transactions on the mapped tables wait); {@code null} for a PostgreSQL source
 * @param waiting what the lane waits for at the delete-convergence barrier, as its barrier stored it (a wait of more
 *     than a second), or {@code null}
 * @param keyWritesPruned this lane's {@code key_write} rows pruned so far
 */
public record LaneStatus(
        String lane,
        boolean enabled,
        boolean streaming,
        boolean slotActive,
        String position,
        Instant lastSourceCommit,
        Instant lastAppliedAt,
        long walBehindBytes,
        long changesApplied,
        long snapshotRows,
        long echoesSuppressed,
        long conflictsIncomingWon,
        long conflictsCurrentKept,
        Map<String, Long> conflictsByKind,
        boolean captureVisible,
        BinlogBacklog binlog,
        Wait waiting,
        long keyWritesPruned) {

    /**
     * A wait at the barrier as stored in {@code lane_progress} (V9): the lane waits for {@code forLane} to store a
     * position at or past {@code targetPosition}; it had stored {@code storedPosition} at {@code updatedAt}. The
     * barrier refreshes it every {@link io.graybridge.bridge.apply.ConvergenceBarrier#STORE_WAIT_EVERY_MILLIS}; an old
     * {@code updatedAt} means the process that waited is gone (its next start clears it).
     */
    public record Wait(String forLane, String targetPosition, String storedPosition, Instant since, Instant updatedAt) {
        /** Whether the wait was not refreshed for six refresh periods. */
        public boolean stale(Instant now) {
            return updatedAt == null || Duration.between(updatedAt, now).toMillis()
                    > 6 * io.graybridge.bridge.apply.ConvergenceBarrier.STORE_WAIT_EVERY_MILLIS;
        }
    }

    /**
     * How far behind the lane is: zero when the slot has confirmed all WAL (a MariaDB source: when no transaction
     * on the mapped tables follows the last applied position in the binlog), otherwise the age of the newest
     * applied change (a lane that applied nothing yet while WAL waits reports the time since it started).
     */
    public Duration lag(Instant now) {
        boolean behind = binlog != null ? !binlog.caughtUp() : walBehindBytes > 0;
        if (!behind || lastSourceCommit == null) {
            return Duration.ZERO;
        }
        return Duration.between(lastSourceCommit, now).isNegative() ? Duration.ZERO : Duration.between(lastSourceCommit, now);
    }

    /** Reads the status of {@code direction}'s lane from its source (slot) and target (metadata). */
    public static LaneStatus read(BridgeConfig config, Direction direction, SideDatabase source, SideDatabase target) {
        LaneConfig lane = config.lane(direction);
        String meta = target.dialect().qualified(config.metadataSchema(), "lane_progress");
        String log = target.dialect().qualified(config.metadataSchema(), "conflict_log");
        boolean visible = !source.dialect().mysqlFamily();
        if (!exists(target, meta)) {
            return new LaneStatus(direction.laneName(), lane.enabled(), false, false, null, null, null, -1, 0, 0, 0, 0, 0,
                    Map.of(), visible, null, null, 0);
        }
        Map<String, Object> progress = target.withHandle(h -> h.createQuery(
                        "SELECT * FROM " + meta + " WHERE bridge = :b AND lane = :l")
                .bind("b", config.name())
                .bind("l", direction.laneName())
                .mapToMap()
                .findOne()
                .orElse(Map.of()));
        Map<String, Long> byKind = new LinkedHashMap<>();
        target.useTransaction(h -> h.createQuery("SELECT kind, count(*) FROM " + log
                        + " WHERE bridge = :b AND lane = :l GROUP BY kind ORDER BY kind")
                .bind("b", config.name())
                .bind("l", direction.laneName())
                .map((rs, ctx) -> byKind.put(rs.getString(1), rs.getLong(2)))
                .list());
        // a MariaDB source has no slot: its binlog reader's state lives in the bridge process (not read here)
        Optional<Map<String, Object>> slot = !visible
                ? Optional.empty() : source.withHandle(h -> h.createQuery(
                        "SELECT s.active, " + io.graybridge.bridge.db.ReplicationSlots.STREAMING + " AS streaming,"
                                + " pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn) AS behind"
                                + " FROM pg_replication_slots s WHERE s.slot_name = :s")
                .bind("s", lane.slotName())
                .mapToMap()
                .findOne());
        return new LaneStatus(
                direction.laneName(),
                lane.enabled(),
                slot.map(s -> Boolean.TRUE.equals(s.get("streaming"))).orElse(false),
                slot.map(s -> Boolean.TRUE.equals(s.get("active"))).orElse(false),
                (String) progress.get("last_source_position"),
                instant(progress.get("last_source_commit")),
                instant(progress.get("last_applied_at")),
                slot.map(s -> s.get("behind") == null ? 0L : ((Number) s.get("behind")).longValue()).orElse(-1L),
                number(progress.get("changes_applied")),
                number(progress.get("snapshot_rows")),
                number(progress.get("echoes_suppressed")),
                number(progress.get("conflicts_incoming_won")),
                number(progress.get("conflicts_current_kept")),
                byKind,
                visible,
                visible || !lane.enabled() ? null : BinlogBacklog.read(source, (String) progress.get("last_source_position"),
                        source.schema(), sourceTables(config, direction), config.metadataSchema(),
                        number(progress.get("changes_applied")) + number(progress.get("echoes_suppressed")) > 0),
                progress.get("waiting_for_lane") == null ? null : new Wait((String) progress.get("waiting_for_lane"),
                        (String) progress.get("waiting_target_position"), (String) progress.get("waiting_stored_position"),
                        instant(progress.get("waiting_since")), instant(progress.get("waiting_updated_at"))),
                number(progress.get("key_writes_pruned")));
    }

    /** The source tables {@code direction}'s lane captures. */
    private static java.util.Set<String> sourceTables(BridgeConfig config, Direction direction) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (io.graybridge.mapping.TableMapping m : config.tables()) {
            out.add(m.table(direction.source()));
        }
        return out;
    }

    /** Whether {@code qualifiedTable} exists (the bridge metadata is created on the first run). */
    public static boolean exists(SideDatabase db, String qualifiedTable) {
        if (db.dialect().mysqlFamily()) {
            String[] parts = qualifiedTable.substring(1, qualifiedTable.length() - 1).split("`\\.`", 2);
            return db.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.tables"
                            + " WHERE table_schema = :s AND table_name = :t")
                    .bind("s", parts[0].replace("``", "`"))
                    .bind("t", parts[1].replace("``", "`"))
                    .mapTo(Integer.class)
                    .one()) > 0;
        }
        return db.withHandle(h -> h.createQuery("SELECT to_regclass(:t) IS NOT NULL")
                .bind("t", qualifiedTable)
                .mapTo(Boolean.class)
                .one());
    }

    private static long number(Object v) {
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Instant instant(Object v) {
        if (v instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof java.time.LocalDateTime t) { // a driver returning TIMESTAMP without its zone: the JVM's
            return t.atZone(java.time.ZoneId.systemDefault()).toInstant();
        }
        return null;
    }
}
