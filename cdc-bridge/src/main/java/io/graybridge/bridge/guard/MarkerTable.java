package io.graybridge.bridge.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The loop guard on MariaDB, which has no transactional logical message: the writer's first statement in each
 * transaction bumps the row {@code (bridge, writer)} of {@code <metadata>.tx_marker}. Binlog capture of the side
 * includes that table, so the bump arrives as the first row event of the transaction, under the same GTID as its
 * rows; capture then drops every change of that transaction. The application's tables are untouched, and the
 * transaction stays in the binlog for every other consumer ({@code sql_log_bin=0} would hide it from replicas).
 * A lane commits sequentially, so its row is never contended.
 */
public final class MarkerTable implements LoopGuard {
    /** The marker table in the metadata database (db/graybridge/mariadb/V2). */
    public static final String TABLE = "tx_marker";

    private final String bridge;
    private final String metadataSchema;
    private final String sql;
    private final String laneSql;

    public MarkerTable(String bridge, String metadataSchema) {
        this.bridge = bridge;
        this.metadataSchema = metadataSchema;
        this.sql = "INSERT INTO `" + metadataSchema + "`.`" + TABLE + "` (bridge, writer, seq) VALUES (?, ?, 1)"
                + " ON DUPLICATE KEY UPDATE seq = seq + 1"; // the table has no unique index but its key
        // a lane's mark carries its delivered position (column seen, V8); NULL when it has none; and the versions it
        // wrote under latest-wins (column stamps, V10), NULL when none: never the previous mark's, which the row holds
        this.laneSql = "INSERT INTO `" + metadataSchema + "`.`" + TABLE + "` (bridge, writer, seq, seen, stamps)"
                + " VALUES (?, ?, 1, ?, ?) ON DUPLICATE KEY UPDATE seq = seq + 1, seen = VALUES(seen),"
                + " stamps = VALUES(stamps)";
    }

    /** The database holding the marker table: capture of this side must include it. */
    public String database() {
        return metadataSchema;
    }

    /** Whether the marker table exists on {@code side} (the bridge's metadata was migrated there). */
    public boolean exists(io.graybridge.bridge.db.SideDatabase side) {
        return side.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.tables"
                        + " WHERE table_schema = :s AND table_name = :t")
                .bind("s", metadataSchema)
                .bind("t", TABLE)
                .mapTo(Integer.class)
                .one()) > 0;
    }

    @Override
    public void mark(Connection c, String writer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, bridge);
            ps.setString(2, writer);
            ps.executeUpdate();
        }
    }

    @Override
    public void mark(Connection c, String writer, long delivered) throws SQLException {
        mark(c, writer, delivered, java.util.List.of());
    }

    /** One upsert of the lane's marker row per {@value MarkStamps#MAX_PER_MARK} versions, each a row event. */
    @Override
    public void mark(Connection c, String writer, long delivered, java.util.List<MarkStamps.Stamp> stamps)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(laneSql)) {
            for (java.util.List<MarkStamps.Stamp> part : MarkStamps.perMark(stamps)) {
                ps.setString(1, bridge);
                ps.setString(2, writer);
                if (delivered < 0) {
                    ps.setNull(3, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(3, delivered);
                }
                if (part.isEmpty()) {
                    ps.setNull(4, java.sql.Types.VARCHAR);
                } else {
                    ps.setString(4, MarkStamps.encode(part));
                }
                ps.executeUpdate();
            }
        }
    }

    @Override
    public java.util.List<MarkStamps.Stamp> stamps(SourceRecord record, String writer) {
        Struct after = markerRow(record);
        if (after == null || !bridge.equals(after.getString("bridge")) || !writer.equals(after.getString("writer"))
                || after.schema().field("stamps") == null) {
            return java.util.List.of();
        }
        return MarkStamps.decode(after.getString("stamps"));
    }

    @Override
    public long deliveredPosition(SourceRecord record, String writer) {
        Struct after = markerRow(record);
        if (after == null || !bridge.equals(after.getString("bridge")) || !writer.equals(after.getString("writer"))
                || after.schema().field("seen") == null || after.get("seen") == null) {
            return io.graybridge.bridge.capture.SourcePositions.NONE;
        }
        return ((Number) after.get("seen")).longValue();
    }

    @Override
    public boolean isOwnMarker(SourceRecord record) {
        Struct after = markerRow(record);
        return after != null && bridge.equals(after.getString("bridge"));
    }

    @Override
    public boolean isWatermark(SourceRecord record) {
        Struct after = markerRow(record);
        return after != null && TransactionMarker.WATERMARK.equals(after.getString("writer"));
    }

    /** The after image of a streamed change of the marker table, or {@code null}. */
    private Struct markerRow(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null
                || value.schema().field("after") == null) {
            return null;
        }
        Struct source = value.getStruct("source");
        if (source == null || source.schema().field("db") == null
                || !metadataSchema.equals(source.getString("db")) || !TABLE.equals(source.getString("table"))) {
            return null;
        }
        String op = value.getString("op");
        return "c".equals(op) || "u".equals(op) ? value.getStruct("after") : null;
    }
}
