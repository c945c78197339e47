package io.graybridge.bridge.metadata;

import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.reconcile.live.ContinuousVerifier;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous verifier's counters and findings in the bridge metadata on v1
 * ({@code verification_progress}, {@code verification_finding}), so {@code status} and {@code gate} read
 * them whether the bridge runs or not. Counters add up across restarts.
 */
public final class VerificationStore implements ContinuousVerifier.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationStore.class);

    private final SideDatabase v1;
    private final String bridge;
    private final String progress;
    private final String findings;

    /**
     * What {@code status} shows.
     *
     * @param keysChecked keys re-read on both sides since the bridge first verified
     * @param findings persistent differences found
     * @param overflowed keys not verified because the queue was full
     * @param newest the newest finding, or {@code null}
     */
    public record Summary(long keysChecked, long findings, long overflowed, ContinuousVerifier.Finding newest) {
        public static final Summary NONE = new Summary(0, 0, 0, null);
    }

    public VerificationStore(SideDatabase v1, String metadataSchema, String bridge) {
        this.v1 = v1;
        this.bridge = bridge;
        this.progress = v1.dialect().qualified(metadataSchema, "verification_progress");
        this.findings = v1.dialect().qualified(metadataSchema, "verification_finding");
    }

    @Override
    public void record(long keysChecked, List<ContinuousVerifier.Finding> found, long overflowed) {
        v1.useTransaction(h -> {
            boolean mariaDb = v1.dialect().mysqlFamily();
            h.createUpdate(mariaDb
                            ? "INSERT INTO " + progress + " (bridge, keys_checked, findings, overflowed, updated_at)"
                                    + " VALUES (:b, :c, :f, :o, CURRENT_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE"
                                    + " keys_checked = keys_checked + VALUES(keys_checked),"
                                    + " findings = findings + VALUES(findings),"
                                    + " overflowed = overflowed + VALUES(overflowed), updated_at = CURRENT_TIMESTAMP(6)"
                            : "INSERT INTO " + progress + " AS p (bridge, keys_checked, findings, overflowed, updated_at)"
                                    + " VALUES (:b, :c, :f, :o, now()) ON CONFLICT (bridge) DO UPDATE SET"
                                    + " keys_checked = p.keys_checked + EXCLUDED.keys_checked,"
                                    + " findings = p.findings + EXCLUDED.findings,"
                                    + " overflowed = p.overflowed + EXCLUDED.overflowed, updated_at = now()")
                    .bind("b", bridge)
                    .bind("c", keysChecked)
                    .bind("f", (long) found.size())
                    .bind("o", overflowed)
                    .execute();
            for (ContinuousVerifier.Finding f : found) {
                h.createUpdate("INSERT INTO " + findings + " (bridge, mapping, row_key, detail, found_at)"
                                + " VALUES (:b, :m, :k, :d, :t)")
                        .bind("b", bridge)
                        .bind("m", f.mapping())
                        .bind("k", f.key())
                        .bind("d", f.detail())
                        .bind("t", Timestamp.from(f.at()))
                        .execute();
                LOG.warn("continuous verification: {}: {}", f.mapping(), f.detail());
            }
        });
        if (overflowed > 0) {
            LOG.warn("continuous verification: {} applied key(s) not verified: the queue is full (verify.queue-capacity)",
                    overflowed);
        }
    }

    @Override
    public void failed(String message) {
        LOG.warn("continuous verification: a pass failed, its keys are not verified: {}", message);
    }

    /** The counters and the newest finding; {@link Summary#NONE} before the first verification. */
    public Summary summary() {
        if (!LaneStatus.exists(v1, progress)) {
            return Summary.NONE;
        }
        Map<String, Object> p = v1.withHandle(h -> h.createQuery("SELECT * FROM " + progress + " WHERE bridge = :b")
                .bind("b", bridge).mapToMap().findOne().orElse(Map.of()));
        ContinuousVerifier.Finding newest = v1.withHandle(h -> h.createQuery("SELECT mapping, row_key, detail, found_at FROM "
                        + findings + " WHERE bridge = :b ORDER BY id DESC LIMIT 1")
                .bind("b", bridge)
                .map((rs, ctx) -> new ContinuousVerifier.Finding(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .findOne()
                .orElse(null));
        return new Summary(number(p.get("keys_checked")), number(p.get("findings")), number(p.get("overflowed")), newest);
    }

    /** Findings recorded at or after {@code since}, or {@code null} when they cannot be read. */
    public Long findingsSince(Instant since) {
        if (!LaneStatus.exists(v1, findings)) {
            return 0L;
        }
        return v1.withHandle(h -> h.createQuery("SELECT count(*) FROM " + findings + " WHERE bridge = :b AND found_at >= :t")
                .bind("b", bridge)
                .bind("t", Timestamp.from(since))
                .mapTo(Long.class)
                .one());
    }

    private static long number(Object v) {
        return v == null ? 0 : ((Number) v).longValue();
    }
}
