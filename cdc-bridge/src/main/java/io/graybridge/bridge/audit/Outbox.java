package io.graybridge.bridge.audit;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Side;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The audit outbox on one side: the table {@code <metadata-schema>.audit_outbox}. Whoever makes a change
 * appends its audit events <em>in the same transaction</em> (the writer for applied changes and conflicts;
 * dead-letter, lifecycle, gate and repair code through {@link #append(Handle, AuditEvent)}), so an event
 * exists exactly when its effect was committed. {@link AuditRelay} publishes and deletes them.
 */
public final class Outbox {
    private final String table;
    private final String schema;
    private final String bridge;

    /**
     * @param db the side whose outbox this is
     * @param metadataSchema the bridge's metadata schema there
     * @param bridge the bridge's name
     */
    public Outbox(SideDatabase db, String metadataSchema, String bridge) {
        this.table = db.dialect().qualified(metadataSchema, "audit_outbox");
        this.schema = metadataSchema;
        this.bridge = bridge;
    }

    /**
     * Appends {@code events} in the transaction of {@code c} (nothing is committed here), in their order, one row
     * each: for events that come alone or few (dead letters, lifecycle, gate, repair), readable by type in SQL.
     */
    public void append(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (bridge, event_id, type, channel, record_key, payload, events) VALUES (?, ?, ?, ?, ?, ?, 1)")) {
            for (AuditEvent e : events) {
                ps.setString(1, bridge);
                ps.setString(2, e.id());
                ps.setString(3, e.type().type());
                ps.setString(4, e.type().channel().name());
                ps.setString(5, e.recordKey());
                ps.setString(6, e.toJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Appends a lane transaction's {@code records} in the transaction of {@code c} as one row, an {@link AuditBundle}
     * (a single rendered event as a plain row). One row per transaction keeps the outbox's cost per change small: one
     * insert, one delete and one index entry for the whole transaction instead of one per change. The facts of
     * applied changes go in unrendered; the relay renders and masks them when it publishes.
     */
    public void appendBundle(Connection c, List<? extends AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        if (records.size() == 1 && records.get(0) instanceof AuditEvent e) {
            append(c, List.of(e));
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (bridge, events, bundle) VALUES (?, ?, ?)")) {
            ps.setString(1, bridge);
            ps.setInt(2, records.size());
            ps.setBytes(3, AuditBundle.pack(records));
            ps.executeUpdate();
        }
    }

    /** Appends {@code event} in the transaction of {@code handle}: call it inside the transaction that makes the change. */
    public void append(Handle handle, AuditEvent event) {
        try {
            append(handle.getConnection(), List.of(event));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append audit event " + event.type().type() + " to " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The sides that hold an outbox of their own: both, or only v1 when both sides are one database (then
     * they share the metadata schema, its outbox and one relay).
     */
    public static List<Side> sides(BridgeConfig config) {
        return config.v1().jdbcUrl().equals(config.v2().jdbcUrl()) ? List.of(Side.V1) : List.of(Side.V1, Side.V2);
    }

    /** Whether the outbox table exists on {@code db} (the bridge creates it at its first start). */
    public boolean exists(SideDatabase db) {
        try {
            return db.withHandle(h -> tableExists(h.getConnection(), schema));
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "cannot read the audit outbox on the "
                    + db.config().describe() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code <schema>.audit_outbox} exists (on PostgreSQL a schema, on MariaDB a database). */
    private static boolean tableExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name = 'audit_outbox'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** The qualified table name. */
    String table() {
        return table;
    }

    String bridge() {
        return bridge;
    }

    /**
     * How the outbox stands: events waiting, the age of the oldest, and how many the relay published so far.
     * Reads nothing when the metadata schema does not exist yet.
     */
    public static Backlog backlog(SideDatabase db, String metadataSchema, String bridge) {
        try {
            return readBacklog(db, metadataSchema, bridge);
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "cannot read the audit outbox on the "
                    + db.config().describe() + ": " + e.getMessage(), e);
        }
    }

    private static Backlog readBacklog(SideDatabase db, String metadataSchema, String bridge) throws SQLException {
        String outbox = db.dialect().qualified(metadataSchema, "audit_outbox");
        String progress = db.dialect().qualified(metadataSchema, "audit_relay_progress");
        return db.withHandle(h -> {
            Connection c = h.getConnection();
            if (!tableExists(c, metadataSchema)) {
                return new Backlog(0, Duration.ZERO, 0);
            }
            long rows;
            Duration age;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(sum(events), 0), min(created_at) FROM " + outbox
                    + " WHERE bridge = ?")) {
                ps.setString(1, bridge);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                    java.sql.Timestamp oldest = rs.getTimestamp(2);
                    age = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now());
                }
            }
            long published = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT published FROM " + progress + " WHERE bridge = ?")) {
                ps.setString(1, bridge);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        published = rs.getLong(1);
                    }
                }
            }
            return new Backlog(rows, age.isNegative() ? Duration.ZERO : age, published);
        });
    }

    /**
     * @param waiting events not yet acknowledged by Kafka
     * @param oldestAge how long the oldest of them has waited
     * @param published events published from this outbox since it was created
     */
    public record Backlog(long waiting, Duration oldestAge, long published) {}
}
