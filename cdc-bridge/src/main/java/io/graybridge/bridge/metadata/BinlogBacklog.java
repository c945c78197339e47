package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.guard.MarkerTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MariaDB or MySQL source's binlog holds after a lane's last applied position, read from outside the bridge
 * process ({@code SHOW BINARY LOGS}, {@code SHOW BINLOG EVENTS}: the {@code BINLOG MONITOR} privilege on MariaDB,
 * {@code REPLICATION CLIENT} and {@code REPLICATION SLAVE} on MySQL, which the bridge's capture user already has).
 * Both engines list a transaction as a {@code Gtid} event, its row events after {@code Table_map} events, and an
 * {@code Xid} (or a {@code COMMIT} query) at its end; MySQL puts a {@code BEGIN} query after the GTID. A binlog reader has no slot whose confirmed position could be read, so this is how {@code
 * graybridge status} tells a caught-up lane from one with work waiting, running or not.
 *
 * @param behindBytes binlog bytes after the position (all databases of the server, like a slot's WAL bytes)
 * @param pendingTransactions transactions after the position that change one of the lane's mapped tables and do
 *     not carry the bridge's marker (those are its own writes, which the loop guard drops): what the lane has yet
 *     to apply; a lower bound when {@code complete} is false
 * @param complete whether every event after the position was read ({@link #MAX_EVENTS} caps the scan)
 * @param problem why the binlog could not be read (then the counts are -1), or {@code null}
 */
public record BinlogBacklog(long behindBytes, long pendingTransactions, boolean complete, String problem) {

    /** At most this many binlog events are read per status call; beyond it the count is a lower bound. */
    public static final int MAX_EVENTS = 200_000;

    private static final int PAGE = 5_000;
    private static final Pattern TABLE_MAP = Pattern.compile("table_id: \\d+ \\((.+?)\\.(.+)\\)");

    /** Whether nothing the lane must apply follows its position (known only when the whole binlog was read). */
    public boolean caughtUp() {
        return problem == null && complete && pendingTransactions == 0;
    }

    /** One row of {@code SHOW BINLOG EVENTS}. */
    public record Event(String type, long endPosition, String info) {}

    /**
     * Reads the binlog of {@code source} after {@code position} ({@code file:offset}, as the lane stores it).
     *
     * @param schema the source's database holding the mapped tables
     * @param tables the mapped source tables
     * @param metadataSchema the bridge's metadata database on the source (where its marker table lives)
     * @param skipFirst whether the transaction at {@code position} was applied already (a streamed change's
     *     position is its transaction's); false for the snapshot's position, which is the next transaction's start
     */
    public static BinlogBacklog read(SideDatabase source, String position, String schema, Set<String> tables,
            String metadataSchema, boolean skipFirst) {
        int colon = position == null ? -1 : position.lastIndexOf(':');
        if (colon <= 0) {
            return failed("no binlog position applied yet");
        }
        String file = position.substring(0, colon);
        long offset;
        try {
            offset = Long.parseLong(position.substring(colon + 1));
        } catch (NumberFormatException e) {
            return failed("the stored position '" + position + "' is not file:offset");
        }
        try {
            return source.withHandle(h -> {
                List<String> files = new ArrayList<>();
                long behind = -1;
                for (var row : h.createQuery("SHOW BINARY LOGS").mapToMap().list()) {
                    String name = String.valueOf(row.get("log_name"));
                    long size = ((Number) row.get("file_size")).longValue();
                    if (name.equals(file)) {
                        behind = Math.max(0, size - offset);
                    } else if (behind >= 0) {
                        behind += size;
                    }
                    if (behind >= 0) {
                        files.add(name);
                    }
                }
                if (files.isEmpty()) {
                    return failed("binlog file " + file + " of the lane's position is no longer on the server"
                            + " (purged); the lane cannot resume from it");
                }
                Counter counter = new Counter(schema, tables, metadataSchema, skipFirst);
                long from = offset;
                for (String f : files) {
                    while (counter.read < MAX_EVENTS) {
                        List<Event> page = h.createQuery("SHOW BINLOG EVENTS IN '" + f.replace("'", "''") + "' FROM "
                                        + from + " LIMIT " + PAGE)
                                .map((rs, ctx) -> new Event(rs.getString("Event_type"), rs.getLong("End_log_pos"),
                                        rs.getString("Info")))
                                .list();
                        counter.accept(page);
                        if (page.size() < PAGE) {
                            break;
                        }
                        from = page.get(page.size() - 1).endPosition();
                    }
                    from = 4; // the next file from its first event
                }
                return new BinlogBacklog(behind, counter.pending, counter.read < MAX_EVENTS, null);
            });
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return failed("cannot read the binlog (the status user needs BINLOG MONITOR on MariaDB, REPLICATION CLIENT"
                    + " and REPLICATION SLAVE on MySQL): " + root.getMessage());
        }
    }

    /** Counts the pending transactions in {@code events} read from a position on (pure: see the unit test). */
    static long pending(List<Event> events, String schema, Set<String> tables, String metadataSchema, boolean skipFirst) {
        Counter c = new Counter(schema, tables, metadataSchema, skipFirst);
        c.accept(events);
        return c.pending;
    }

    private static BinlogBacklog failed(String why) {
        return new BinlogBacklog(-1, -1, false, why);
    }

    /** Walks events transaction by transaction (GTID event ... Xid or COMMIT). */
    private static final class Counter {
        private final String schema;
        private final Set<String> tables;
        private final String metadataSchema;
        private boolean skipping;
        private boolean touches;
        private boolean marked;
        long pending;
        int read;

        Counter(String schema, Set<String> tables, String metadataSchema, boolean skipFirst) {
            this.schema = schema;
            this.tables = tables;
            this.metadataSchema = metadataSchema;
            this.skipping = skipFirst;
        }

        void accept(List<Event> events) {
            for (Event e : events) {
                read++;
                String type = e.type();
                String info = e.info() == null ? "" : e.info();
                if (type.equals("Gtid")) {
                    touches = false;
                    marked = false;
                } else if (type.equals("Table_map")) {
                    Matcher m = TABLE_MAP.matcher(info);
                    if (m.find()) {
                        touches |= m.group(1).equals(schema) && tables.contains(m.group(2));
                        marked |= m.group(1).equals(metadataSchema) && m.group(2).equals(MarkerTable.TABLE);
                    }
                } else if (type.equals("Xid") || (type.equals("Query") && info.startsWith("COMMIT"))) {
                    if (!skipping && touches && !marked) {
                        pending++;
                    }
                    skipping = false;
                    touches = false;
                    marked = false;
                }
            }
        }
    }
}
