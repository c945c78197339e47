package io.graybridge.bridge.capture;

import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.SchemaHistoryException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Debezium's schema history of one lane, kept in the {@code schema_history} table of the bridge's metadata
 * database on the captured side (db/graybridge/mariadb/V1), not in a local file: a bridge restarted on another
 * host rebuilds the same table definitions. Records are appended in order and read back in id order; Debezium
 * itself skips those past the stored position. The engine passes the connection through the
 * {@code schema.history.internal.graybridge.*} properties.
 *
 * <p>Records are written by a thread of their own, in order: the snapshot records the table definitions while
 * it holds MariaDB's global read lock ({@code FLUSH TABLES WITH READ LOCK}), so an insert from the capturing
 * process would wait for a lock its own snapshot holds. The writer catches up as soon as the lock is released,
 * long before the first snapshot batch commits its position on the target; {@link #stop} waits for it. And the
 * capture waits for it too ({@link #awaitWritten}) before it hands the sink a batch that stores a position: so a
 * position on the target is never ahead of the history that explains it, and a crash cannot lose a record that a
 * stored position already skips (the lock is released before the snapshot reads any row, so this never waits on it).
 */
public final class MetadataSchemaHistory extends AbstractSchemaHistory {
    static final String URL = "schema.history.internal.graybridge.url";
    static final String USER = "schema.history.internal.graybridge.user";
    static final String PASSWORD = "schema.history.internal.graybridge.password";
    static final String TABLE = "schema.history.internal.graybridge.table";
    static final String BRIDGE = "schema.history.internal.graybridge.bridge";
    static final String LANE = "schema.history.internal.graybridge.lane";
    /** Driver parameters of the connection: the side URL's query parameters, one property each ({@link #driverKey}). */
    static final String DRIVER_PREFIX = "schema.history.internal.graybridge.driver.";
    /** Ends the key of a driver parameter that is a password: Debezium masks keys ending in it when it logs them. */
    private static final String SECRET_SUFFIX = ".password";

    /** The engine property that passes the driver parameter {@code name} to the history's connection. */
    static String driverKey(String name) {
        return DRIVER_PREFIX + name
                + (name.toLowerCase(java.util.Locale.ROOT).endsWith("password") ? SECRET_SUFFIX : "");
    }

    /** The running history of each lane, by {@code bridge/lane}, for {@link #awaitWritten}. */
    private static final java.util.Map<String, MetadataSchemaHistory> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();

    private final DocumentWriter writer = DocumentWriter.defaultWriter();
    private final DocumentReader reader = DocumentReader.defaultReader();
    private final java.util.concurrent.LinkedBlockingQueue<String> pending = new java.util.concurrent.LinkedBlockingQueue<>();
    private volatile Thread flusher;
    private volatile SchemaHistoryException failure;

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        config.subset(DRIVER_PREFIX, true).forEach((key, value) -> p.setProperty(
                key.endsWith(SECRET_SUFFIX) ? key.substring(0, key.length() - SECRET_SUFFIX.length()) : key, value));
        p.setProperty("user", config.getString(USER));
        String password = config.getString(PASSWORD);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(config.getString(URL), p);
    }

    private String table() {
        return config.getString(TABLE);
    }

    @Override
    protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
        if (failure != null) {
            throw failure;
        }
        try {
            pending.add(writer.write(record.document()));
        } catch (IOException e) {
            throw new SchemaHistoryException("cannot render a schema history record: " + e.getMessage(), e);
        }
        startFlusher();
    }

    private synchronized void startFlusher() {
        if (flusher != null) {
            return;
        }
        flusher = new Thread(this::flushLoop, "graybridge-schema-history-" + config.getString(LANE));
        flusher.setDaemon(true);
        flusher.start();
    }

    private void flushLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                String next = pending.peek();
                if (next == null) {
                    synchronized (this) {
                        if (pending.isEmpty()) {
                            flusher = null;
                            notifyAll();
                            return;
                        }
                    }
                    continue;
                }
                insert(next);
                pending.poll();
            }
        } catch (SchemaHistoryException e) {
            failure = e;
            logger.error("{}", e.getMessage());
            synchronized (this) {
                flusher = null;
                notifyAll();
            }
        }
    }

    private void insert(String document) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + table() + " (bridge, lane, record) VALUES (?, ?, ?)")) {
            ps.setString(1, config.getString(BRIDGE));
            ps.setString(2, config.getString(LANE));
            ps.setString(3, document);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SchemaHistoryException("cannot store the schema history of lane " + config.getString(LANE)
                    + " in " + table() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void start() {
        super.start();
        RUNNING.put(key(config.getString(BRIDGE), config.getString(LANE)), this);
    }

    private static String key(String bridge, String lane) {
        return bridge + "/" + lane;
    }

    /**
     * Waits until every schema history record of {@code lane} stored so far is written to the metadata table
     * (returns at once when that lane keeps no history here).
     *
     * @throws SchemaHistoryException when the history cannot be written, or not within {@code timeoutMillis}
     */
    public static void awaitWritten(String bridge, String lane, long timeoutMillis) throws InterruptedException {
        MetadataSchemaHistory h = RUNNING.get(key(bridge, lane));
        if (h != null) {
            h.awaitWritten(timeoutMillis);
        }
    }

    private synchronized void awaitWritten(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while ((flusher != null || !pending.isEmpty()) && failure == null) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new SchemaHistoryException(pending.size() + " schema history records of lane "
                        + config.getString(LANE) + " are still not written to " + table() + " after " + timeoutMillis
                        + " ms; the lane stores no position past them until they are");
            }
            wait(Math.min(left, 500));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits (up to 60 s) until every record is written. */
    @Override
    public synchronized void stop() {
        RUNNING.remove(key(config.getString(BRIDGE), config.getString(LANE)), this);
        long deadline = System.currentTimeMillis() + 60_000;
        while (flusher != null && System.currentTimeMillis() < deadline) {
            try {
                wait(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!pending.isEmpty()) {
            logger.warn("{} schema history records of lane {} were not written before the stop", pending.size(),
                    config.getString(LANE));
        }
        super.stop();
    }

    @Override
    protected synchronized void recoverRecords(Consumer<HistoryRecord> records) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT record FROM " + table() + " WHERE bridge = ? AND lane = ? ORDER BY id")) {
            ps.setString(1, config.getString(BRIDGE));
            ps.setString(2, config.getString(LANE));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.accept(new HistoryRecord(reader.read(rs.getString(1))));
                }
            }
        } catch (SQLException | IOException e) {
            throw new SchemaHistoryException("cannot read the schema history of lane " + config.getString(LANE)
                    + " from " + table() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists() {
        if (!pending.isEmpty()) {
            return true;
        }
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM " + table() + " WHERE bridge = ? AND lane = ?")) {
            ps.setString(1, config.getString(BRIDGE));
            ps.setString(2, config.getString(LANE));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new SchemaHistoryException("cannot read the schema history of lane " + config.getString(LANE)
                    + " from " + table() + ": " + e.getMessage(), e);
        }
    }

    /** The table is created by the metadata migrations before any lane starts. */
    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public String toString() {
        return "schema history in " + table();
    }
}
