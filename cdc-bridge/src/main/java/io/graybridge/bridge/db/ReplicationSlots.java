package io.graybridge.bridge.db;

/** What the bridge asks PostgreSQL about replication slots, in one place. */
public final class ReplicationSlots {
    /**
     * SQL condition on {@code pg_replication_slots s}: the slot streams, i.e. its walsender started
     * replication ({@code catchup} or {@code streaming} in {@code pg_stat_replication}). A slot is already
     * active while it is created and its initial snapshot runs; only once replication started is the
     * backfill done and every later change on its way.
     */
    public static final String STREAMING = "EXISTS (SELECT 1 FROM pg_stat_replication r WHERE r.pid = s.active_pid"
            + " AND r.state IN ('catchup', 'streaming'))";

    private ReplicationSlots() {}
}
