package io.graybridge.bridge.audit;

import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Side;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The audit outbox on one side: the table {@code <metadata-schema>.audit_outbox}. Whoever makes a change
 * appends its audit events <em>in the same transaction</em> (the writer for applied changes and conflicts;
 * dead-letter, lifecycle, gate and repair code through {@link #append(Handle, AuditEvent)}), so an event
 * exists exactly when its effect was committed. {@link AuditRelay} publishes and deletes them.
 */
public final class Outbox {
    private final String table;
    private final String bridge;
    private final byte[] bridgeBytes;

    /**
     * @param db the side whose outbox this is
     * @param metadataSchema the bridge's metadata schema there
     * @param bridge the bridge's name
     */
    public Outbox(SideDatabase db, String metadataSchema, String bridge) {
        this.table = db.dialect().qualified(metadataSchema, "audit_outbox");
        this.bridge = bridge;
        this.bridgeBytes = bridge.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Appends {@code events} in the transaction of {@code c} (nothing is committed here), in their order, with
     * one {@code COPY ... FROM STDIN (FORMAT binary)} whatever their number: the server parses one stream, and the
     * binary form carries each text as its UTF-8 bytes after a length, so the JSON needs no escaping on the way in
     * (the text form doubled every backslash of it: a fifth of the writer's audit time).
     */
    public void append(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        BinaryCopy rows = new BinaryCopy(events.size() * 1024);
        for (AuditEvent e : events) {
            rows.startRow(6);
            rows.field(bridgeBytes);
            rows.field(e.id());
            rows.field(e.type().type());
            rows.field(e.type().channel().name());
            rows.field(e.recordKey());
            rows.field(e.toJsonBytes());
        }
        byte[] data = rows.finish();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table
                + " (bridge, event_id, type, channel, record_key, payload) FROM STDIN (FORMAT binary)");
        try {
            copy.writeToCopy(data, 0, data.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * Rows in PostgreSQL's binary COPY format, every field a {@code text}: the signature, flags and header
     * extension, then per row its field count and per field a length and the bytes, then the trailer.
     */
    static final class BinaryCopy {
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
        private byte[] buf;
        private int size;

        BinaryCopy(int capacity) {
            buf = new byte[Math.max(64, capacity)];
            put(SIGNATURE);
            putInt(0); // flags: no OIDs
            putInt(0); // header extension length
        }

        void startRow(int fields) {
            putShort(fields);
        }

        void field(String text) {
            field(text.getBytes(StandardCharsets.UTF_8));
        }

        void field(byte[] utf8) {
            putInt(utf8.length);
            put(utf8);
        }

        byte[] finish() {
            putShort(-1);
            return java.util.Arrays.copyOf(buf, size);
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void putInt(int v) {
            ensure(4);
            buf[size++] = (byte) (v >>> 24);
            buf[size++] = (byte) (v >>> 16);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }

        private void putShort(int v) {
            ensure(2);
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
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
            return db.withHandle(h -> {
                try (PreparedStatement ps = h.getConnection().prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw new GrayBridgeException(ErrorCode.DATABASE_UNAVAILABLE, "cannot read the audit outbox on the "
                    + db.config().describe() + ": " + e.getMessage(), e);
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
     * How the outbox stands: rows waiting, the age of the oldest, and how many the relay published so far.
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
            try (Statement s = c.createStatement();
                    ResultSet exists = s.executeQuery("SELECT to_regclass('" + outbox + "') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return new Backlog(0, Duration.ZERO, 0);
                }
            }
            long rows;
            Duration age;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), min(created_at) FROM " + outbox
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
