package io.graybridge.bridge.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.reconcile.gate.GateDecision;
import io.graybridge.reconcile.gate.GateInput;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The newest complete drift result and the newest gate decision per action, in the bridge metadata on v1
 * ({@code drift_result}, {@code gate_decision}): what the gate reads, and what the lifecycle commands and
 * the HTTP gate will read.
 */
public final class DriftRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SideDatabase v1;
    private final String bridge;
    private final String drift;
    private final String gate;

    /**
     * A drift result to store.
     *
     * @param verdict {@code clean}, {@code drift} or {@code could-not-check}
     * @param report the JSON report ({@code drift --format json})
     */
    public record DriftResult(String verdict, String summary, Instant startedAt, Instant finishedAt, long keysCompared,
            long missingOnV2, long extraOnV2, long mismatched, String report) {}

    private final String metadataSchema;

    public DriftRecords(SideDatabase v1, String metadataSchema, String bridge) {
        this.v1 = v1;
        this.metadataSchema = metadataSchema;
        this.bridge = bridge;
        this.drift = v1.dialect().qualified(metadataSchema, "drift_result");
        this.gate = v1.dialect().qualified(metadataSchema, "gate_decision");
    }

    /** Whether the metadata holds these tables (the bridge ran, or migrated, with V5). */
    public boolean ready() {
        return LaneStatus.exists(v1, drift);
    }

    private boolean mariaDb() {
        return v1.dialect().mysqlFamily();
    }

    /**
     * {@code INSERT ... VALUES (...)} then the upsert clause of v1's engine, updating {@code columns} from the
     * inserted row ({@code ON CONFLICT (conflict) DO UPDATE} on PostgreSQL, {@code ON DUPLICATE KEY UPDATE} on
     * MariaDB, whose only unique key on these tables is the primary key).
     */
    private String upsert(String insert, String conflict, List<String> columns, String extra) {
        StringBuilder sb = new StringBuilder(insert);
        sb.append(mariaDb() ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT (" + conflict + ") DO UPDATE SET ");
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            sb.append(i == 0 ? "" : ", ").append(c).append(" = ").append(mariaDb() ? "VALUES(" + c + ")" : "EXCLUDED." + c);
        }
        return sb.append(extra).toString();
    }

    /** A JSON parameter: {@code jsonb} on PostgreSQL, text into a {@code JSON} column on MariaDB. */
    private String json(String parameter) {
        return mariaDb() ? parameter : "CAST(" + parameter + " AS jsonb)";
    }

    private String now() {
        return mariaDb() ? "CURRENT_TIMESTAMP(6)" : "now()";
    }

    public void save(DriftResult r) {
        v1.useTransaction(h -> h.createUpdate(upsert("INSERT INTO " + drift + " (bridge, verdict, summary, started_at, finished_at,"
                        + " keys_compared, missing_on_v2, extra_on_v2, mismatched, report) VALUES (:b, :v, :s, :st, :fi,"
                        + " :k, :mi, :ex, :mm, " + json(":r") + ")", "bridge", List.of("verdict", "summary", "started_at",
                        "finished_at", "keys_compared", "missing_on_v2", "extra_on_v2", "mismatched", "report"), ""))
                .bind("b", bridge)
                .bind("v", r.verdict())
                .bind("s", r.summary())
                .bind("st", Timestamp.from(r.startedAt()))
                .bind("fi", Timestamp.from(r.finishedAt()))
                .bind("k", r.keysCompared())
                .bind("mi", r.missingOnV2())
                .bind("ex", r.extraOnV2())
                .bind("mm", r.mismatched())
                .bind("r", r.report())
                .execute());
    }

    /** The newest drift result, as the gate reads it. */
    public Optional<GateInput.Drift> latest() {
        if (!ready()) {
            return Optional.empty();
        }
        return v1.withHandle(h -> h.createQuery("SELECT verdict, summary, started_at, finished_at FROM " + drift
                        + " WHERE bridge = :b")
                .bind("b", bridge)
                .map((rs, ctx) -> new GateInput.Drift(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant()))
                .findOne());
    }

    public void save(GateDecision d) {
        save(d, java.util.UUID.randomUUID().toString(), h -> { });
    }

    /**
     * Stores {@code d} under {@code decisionId} (kept when the metadata has the column, V6 on); {@code
     * alsoInTransaction} runs in the same transaction (e.g. to append its audit event).
     */
    public void save(GateDecision d, String decisionId, java.util.function.Consumer<org.jdbi.v3.core.Handle> alsoInTransaction) {
        List<Map<String, Object>> reasons = d.reasons().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
            m.put("detail", r.detail());
            return m;
        }).toList();
        String json;
        try {
            json = JSON.writeValueAsString(reasons);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        boolean withId = hasDecisionId();
        v1.useTransaction(h -> {
            List<String> updated = withId ? List.of("verdict", "reasons", "decision_id") : List.of("verdict", "reasons");
            org.jdbi.v3.core.statement.Update insert = h.createUpdate(upsert("INSERT INTO " + gate
                            + " (bridge, action, verdict, reasons, decided_at" + (withId ? ", decision_id" : "")
                            + ") VALUES (:b, :a, :v, " + json(":r") + ", " + now() + (withId ? ", :id" : "") + ")",
                    "bridge, action", updated, ", decided_at = " + now()));
            if (withId) {
                insert.bind("id", decisionId);
            }
            insert.bind("b", bridge)
                    .bind("a", d.action())
                    .bind("v", d.verdict().id())
                    .bind("r", json)
                    .execute();
            alsoInTransaction.accept(h);
        });
    }

    private boolean hasDecisionId() {
        if (v1.dialect().mysqlFamily()) {
            return v1.withHandle(h -> h.createQuery("SELECT count(*) FROM information_schema.columns"
                            + " WHERE table_schema = :s AND table_name = 'gate_decision' AND column_name = 'decision_id'")
                    .bind("s", metadataSchema)
                    .mapTo(Integer.class)
                    .one()) > 0;
        }
        return v1.withHandle(h -> h.createQuery("SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(:t)"
                        + " AND attname = 'decision_id' AND NOT attisdropped")
                .bind("t", gate)
                .mapTo(Integer.class)
                .one()) > 0;
    }

    /**
     * The newest stored gate decision (of either action), for {@code status}.
     *
     * @param decisionId {@code null} when stored before V6
     */
    public record StoredDecision(String action, String verdict, Instant decidedAt, String decisionId) {}

    /** The newest stored gate decision of any action, or empty. */
    public Optional<StoredDecision> lastDecision() {
        if (!ready()) {
            return Optional.empty();
        }
        boolean withId = hasDecisionId();
        return v1.withHandle(h -> h.createQuery("SELECT action, verdict, decided_at" + (withId ? ", decision_id" : "")
                        + " FROM " + gate + " WHERE bridge = :b ORDER BY decided_at DESC LIMIT 1")
                .bind("b", bridge)
                .map((rs, ctx) -> new StoredDecision(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), withId ? rs.getString(4) : null))
                .findOne());
    }

    /** The stored decision's verdict for {@code action}, or empty. */
    public Optional<String> lastVerdict(String action) {
        if (!ready()) {
            return Optional.empty();
        }
        return v1.withHandle(h -> h.createQuery("SELECT verdict FROM " + gate + " WHERE bridge = :b AND action = :a")
                .bind("b", bridge).bind("a", action).mapTo(String.class).findOne());
    }
}
