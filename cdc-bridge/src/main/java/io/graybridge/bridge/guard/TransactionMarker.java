package io.graybridge.bridge.guard;

import io.graybridge.bridge.db.Dialect;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The loop guard's marker: every transaction the bridge commits on a side carries it, and capture on
 * that side drops every change of a marked transaction, so nothing the bridge wrote comes back.
 *
 * <p>PostgreSQL: a transactional logical decoding message ({@code pg_logical_emit_message(true, ...)})
 * written first in the transaction. It is decoded with the transaction, in order, carrying the same
 * transaction id, and it commits or rolls back with it; it touches no application table and needs no
 * table of its own. The content names the bridge, so two bridges on one database do not suppress each
 * other's writes. {@link LoopGuard} is the engine-neutral view; {@link MarkerTable} is MariaDB's.
 */
public final class TransactionMarker {
    /** The logical decoding message prefix of bridge markers. */
    public static final String PREFIX = "graybridge";

    private TransactionMarker() {}

    /**
     * Marks the open transaction on {@code c} as written by bridge {@code bridge}. Call it first in the
     * transaction, before any row is written.
     *
     * @param writer who writes, for humans reading the WAL: a lane name or {@code repair}
     */
    public static void mark(Connection c, Dialect dialect, String bridge, String writer) throws SQLException {
        emit(c, dialect, content(bridge, writer));
    }

    /** As {@link #mark(Connection, Dialect, String, String)}, carrying the lane's delivered position. */
    public static void mark(Connection c, Dialect dialect, String bridge, String writer, long delivered)
            throws SQLException {
        emit(c, dialect, content(bridge, writer, delivered));
    }

    /**
     * As {@link #mark(Connection, Dialect, String, String, long)}, carrying {@code stamps} ({@link MarkStamps}): one
     * message per {@value MarkStamps#MAX_PER_MARK} versions, each with the delivered position.
     */
    public static void mark(Connection c, Dialect dialect, String bridge, String writer, long delivered,
            java.util.List<MarkStamps.Stamp> stamps) throws SQLException {
        for (java.util.List<MarkStamps.Stamp> part : MarkStamps.perMark(stamps)) {
            emit(c, dialect, content(bridge, writer, delivered, part));
        }
    }

    private static void emit(Connection c, Dialect dialect, String content) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("no transaction marker for " + dialect);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
            ps.setString(1, PREFIX);
            ps.setString(2, content);
            ps.execute();
        }
    }

    /** The writer name of a watermark: a marked transaction with no rows, see {@link #emitWatermark}. */
    public static final String WATERMARK = "watermark";

    /**
     * Commits, on {@code c} (in autocommit), a transaction holding only this bridge's marker with writer
     * {@value #WATERMARK}: a lane capturing this side stores its position as soon as it has passed it,
     * even when nothing else happens on the side. {@code drift} and {@code gate} use it to learn when a
     * lane has applied everything committed before their first read.
     *
     * @return the watermark's position (LSN)
     */
    public static long emitWatermark(Connection c, Dialect dialect, String bridge) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("no watermark for " + dialect);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_logical_emit_message(true, ?, ?), '0/0')::bigint")) {
            ps.setString(1, PREFIX);
            ps.setString(2, content(bridge, WATERMARK));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Whether a captured message's content is {@code bridge}'s watermark. */
    public static boolean isWatermark(String bridge, byte[] content) {
        return new String(content, StandardCharsets.UTF_8).equals(content(bridge, WATERMARK));
    }

    /** The marker's content: {@code <bridge>/<writer>}. */
    static String content(String bridge, String writer) {
        return bridge + "/" + writer;
    }

    /**
     * The marker's content with a delivered position: {@code <bridge>/<writer>@<position>} (the position as a decimal
     * number, {@link io.graybridge.bridge.capture.SourcePositions}); without it when there is none.
     */
    static String content(String bridge, String writer, long delivered) {
        return delivered < 0 ? content(bridge, writer) : content(bridge, writer) + "@" + delivered;
    }

    /**
     * The marker's content with a delivered position and versions: {@code <bridge>/<writer>[@<position>];<stamps>}
     * ({@link MarkStamps}); as {@link #content(String, String, long)} when there are none.
     */
    static String content(String bridge, String writer, long delivered, java.util.List<MarkStamps.Stamp> stamps) {
        String base = content(bridge, writer, delivered);
        return stamps.isEmpty() ? base : base + ";" + MarkStamps.encode(stamps);
    }

    /**
     * The delivered position in the content of a marker of {@code bridge} written by {@code writer}, or {@link
     * io.graybridge.bridge.capture.SourcePositions#NONE} when the content is another bridge's or writer's, or
     * carries no position (markers written before positions were carried: {@code <bridge>/<writer>}).
     */
    public static long deliveredPosition(String bridge, String writer, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String prefix = content(bridge, writer);
        if (!text.startsWith(prefix) || text.length() == prefix.length() || text.charAt(prefix.length()) != '@') {
            return io.graybridge.bridge.capture.SourcePositions.NONE;
        }
        int end = text.indexOf(';', prefix.length());
        try {
            return Long.parseLong(text.substring(prefix.length() + 1, end < 0 ? text.length() : end));
        } catch (NumberFormatException e) {
            return io.graybridge.bridge.capture.SourcePositions.NONE;
        }
    }

    /**
     * The versions in the content of a marker of {@code bridge} written by {@code writer} ({@code ;<stamps>} after the
     * writer and the position), or none when the content is another bridge's or writer's or carries none.
     */
    public static java.util.List<MarkStamps.Stamp> stamps(String bridge, String writer, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        String prefix = content(bridge, writer);
        if (!text.startsWith(prefix) || text.length() == prefix.length()
                || (text.charAt(prefix.length()) != '@' && text.charAt(prefix.length()) != ';')) {
            return java.util.List.of();
        }
        int at = text.indexOf(';', prefix.length());
        return at < 0 ? java.util.List.of() : MarkStamps.decode(text.substring(at + 1));
    }

    /** The PostgreSQL {@link LoopGuard}: this marker, recognised in captured logical decoding messages. */
    static final class Guard implements LoopGuard {
        private final String bridge;

        Guard(String bridge) {
            this.bridge = bridge;
        }

        @Override
        public void mark(Connection c, String writer) throws SQLException {
            TransactionMarker.mark(c, io.graybridge.bridge.db.Dialect.POSTGRESQL, bridge, writer);
        }

        @Override
        public void mark(Connection c, String writer, long delivered) throws SQLException {
            TransactionMarker.mark(c, io.graybridge.bridge.db.Dialect.POSTGRESQL, bridge, writer, delivered);
        }

        @Override
        public void mark(Connection c, String writer, long delivered, java.util.List<MarkStamps.Stamp> stamps)
                throws SQLException {
            TransactionMarker.mark(c, io.graybridge.bridge.db.Dialect.POSTGRESQL, bridge, writer, delivered, stamps);
        }

        @Override
        public java.util.List<MarkStamps.Stamp> stamps(org.apache.kafka.connect.source.SourceRecord record,
                String writer) {
            byte[] bytes = ownMessage(record);
            return bytes == null ? java.util.List.of() : TransactionMarker.stamps(bridge, writer, bytes);
        }

        @Override
        public long deliveredPosition(org.apache.kafka.connect.source.SourceRecord record, String writer) {
            byte[] bytes = ownMessage(record);
            return bytes == null ? io.graybridge.bridge.capture.SourcePositions.NONE
                    : TransactionMarker.deliveredPosition(bridge, writer, bytes);
        }

        @Override
        public boolean isOwnMarker(org.apache.kafka.connect.source.SourceRecord record) {
            byte[] bytes = ownMessage(record);
            return bytes != null && isFrom(bridge, bytes);
        }

        @Override
        public boolean isWatermark(org.apache.kafka.connect.source.SourceRecord record) {
            byte[] bytes = ownMessage(record);
            return bytes != null && TransactionMarker.isWatermark(bridge, bytes);
        }

        /** The content of a logical decoding message with the bridge's prefix, or {@code null}. */
        private static byte[] ownMessage(org.apache.kafka.connect.source.SourceRecord record) {
            if (!(record.value() instanceof org.apache.kafka.connect.data.Struct value)
                    || value.schema().field("message") == null) {
                return null;
            }
            org.apache.kafka.connect.data.Struct message = value.getStruct("message");
            if (message == null || !PREFIX.equals(message.getString("prefix"))) {
                return null;
            }
            Object content = message.get("content");
            if (content instanceof java.nio.ByteBuffer b) {
                byte[] out = new byte[b.remaining()];
                b.duplicate().get(out);
                return out;
            }
            return (byte[]) content;
        }
    }

    /** Whether a captured message's content marks a transaction of {@code bridge}. */
    public static boolean isFrom(String bridge, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        return text.startsWith(bridge + "/");
    }
}
