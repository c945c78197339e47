package io.graybridge.bridge.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graybridge.reconcile.gate.GateDecision;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate's decision as JSON, one shape for {@code graybridge gate --format json} and the HTTP gate
 * (documented by {@code docs/http/gate-verdict.schema.json}):
 *
 * <pre>
 * {"action": "promote", "verdict": "PASS", "pass": true,
 *  "reasons": [{"check": "drift", "status": "PASS", "detail": "..."}, ...],
 *  "decidedAt": "2026-11-27T06:40:00Z"}
 * </pre>
 *
 * {@code verdict} is {@code PASS}, {@code FAIL} or {@code COULD_NOT_DECIDE}; {@code pass} is true only on
 * {@code PASS} (what an Argo Rollouts web metric reads with {@code jsonPath: "{$.pass}"}); each reason's
 * {@code status} is {@code PASS}, {@code FAIL} or {@code UNKNOWN}.
 */
public final class GateVerdictJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GateVerdictJson() {}

    /** {@code PASS}, {@code FAIL} or {@code COULD_NOT_DECIDE}. */
    public static String verdict(GateDecision.Verdict v) {
        return switch (v) {
            case PASS -> "PASS";
            case FAIL -> "FAIL";
            case UNDECIDED -> "COULD_NOT_DECIDE";
        };
    }

    /** The document for {@code decision}, made at {@code decidedAt}. */
    public static Map<String, Object> document(GateDecision decision, Instant decidedAt) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("action", decision.action());
        doc.put("verdict", verdict(decision.verdict()));
        doc.put("pass", decision.verdict() == GateDecision.Verdict.PASS);
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (GateDecision.Reason r : decision.reasons()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("status", r.outcome().name());
            m.put("detail", r.detail());
            reasons.add(m);
        }
        doc.put("reasons", reasons);
        doc.put("decidedAt", decidedAt.toString());
        return doc;
    }

    /** {@link #document} as indented JSON text, ending with a newline. */
    public static String render(GateDecision decision, Instant decidedAt) {
        return write(document(decision, decidedAt));
    }

    /** {@code value} as indented JSON text, ending with a newline. */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
