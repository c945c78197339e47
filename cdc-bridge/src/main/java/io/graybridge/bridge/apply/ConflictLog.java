package io.graybridge.bridge.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.audit.JsonValues;
import io.graybridge.bridge.conflict.Conflict;
import io.graybridge.mapping.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Writes each conflict, with both versions, the policy and the outcome, to the bridge's
 * {@code conflict_log} table on the target, in the transaction that resolves it.
 */
final class ConflictLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final io.graybridge.bridge.db.Dialect dialect;
    private final String table;
    private final String bridge;
    private final String lane;
    private final String policy;

    ConflictLog(io.graybridge.bridge.db.Dialect dialect, String qualifiedTable, String bridge, String lane, String policy) {
        this.dialect = dialect;
        this.table = qualifiedTable;
        this.bridge = bridge;
        this.lane = lane;
        this.policy = policy;
    }

    void insert(Connection c, List<ConflictRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        String json = dialect == io.graybridge.bridge.db.Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                + " (bridge, lane, table_name, row_key, kind, columns, incoming_side, incoming_before, incoming_after,"
                + " incoming_commit, current_row, current_commit, policy, winner, source_position)"
                + " VALUES (?, ?, ?, " + json + ", ?, ?, ?, " + json + ", " + json + ", ?, " + json + ", ?,"
                + " ?, ?, ?)")) {
            for (ConflictRecord r : records) {
                Conflict k = r.decision().conflict();
                ps.setString(1, bridge);
                ps.setString(2, lane);
                ps.setString(3, k.table());
                ps.setString(4, json(k.key()));
                ps.setString(5, k.kind().name());
                ps.setString(6, String.join(",", k.columns()));
                ps.setString(7, k.incomingSide().id());
                ps.setString(8, json(k.incomingBefore()));
                ps.setString(9, json(k.incomingAfter()));
                ps.setTimestamp(10, k.incomingCommit() == null ? null : Timestamp.from(k.incomingCommit()));
                ps.setString(11, json(k.current()));
                ps.setTimestamp(12, k.currentCommit() == null ? null : Timestamp.from(k.currentCommit()));
                ps.setString(13, policy);
                ps.setString(14, r.decision().winner().id());
                ps.setString(15, r.change().position());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A row as JSON: numbers and booleans as such, times in ISO-8601, bytes in base64, the rest as text. */
    static String json(Row row) {
        if (row == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(JsonValues.of(row));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a row as JSON", e);
        }
    }
}
