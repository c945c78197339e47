package io.graybridge.bridge.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graybridge.reconcile.gate.GateDecision;
import io.graybridge.reconcile.gate.GateDecision.Outcome;
import io.graybridge.reconcile.gate.GateDecision.Reason;
import io.graybridge.reconcile.gate.GateDecision.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateVerdictJsonTest {
    private static final Instant AT = Instant.parse("2026-11-27T06:40:00Z");

    @Test
    void shouldRenderTheDocumentedShape() throws Exception {
        GateDecision d = new GateDecision("promote", Verdict.FAIL, List.of(new Reason("drift", Outcome.PASS, "clean"),
                new Reason("lag", Outcome.FAIL, "lane v1-to-v2 lag 12.0 s (limit 10 s)")));

        JsonNode json = new ObjectMapper().readTree(GateVerdictJson.render(d, AT));

        assertThat(json.fieldNames()).toIterable().containsExactly("action", "verdict", "pass", "reasons", "decidedAt");
        assertThat(json.get("action").asText()).isEqualTo("promote");
        assertThat(json.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(json.get("pass").isBoolean()).isTrue();
        assertThat(json.get("pass").asBoolean()).isFalse();
        assertThat(json.get("decidedAt").asText()).isEqualTo("2026-11-27T06:40:00Z");
        assertThat(json.get("reasons")).hasSize(2);
        assertThat(json.get("reasons").get(1).fieldNames()).toIterable().containsExactly("check", "status", "detail");
        assertThat(json.get("reasons").get(1).get("status").asText()).isEqualTo("FAIL");
        assertThat(json.get("reasons").get(1).get("detail").asText()).isEqualTo("lane v1-to-v2 lag 12.0 s (limit 10 s)");
    }

    @Test
    void shouldPassOnlyOnPassAndCallUndecidedCouldNotDecide() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode pass = mapper.readTree(GateVerdictJson.render(new GateDecision("rollback", Verdict.PASS, List.of()), AT));
        JsonNode undecided = mapper.readTree(GateVerdictJson.render(
                new GateDecision("rollback", Verdict.UNDECIDED, List.of(new Reason("drift", Outcome.UNKNOWN, "?"))), AT));

        assertThat(pass.get("verdict").asText()).isEqualTo("PASS");
        assertThat(pass.get("pass").asBoolean()).isTrue();
        assertThat(undecided.get("verdict").asText()).isEqualTo("COULD_NOT_DECIDE");
        assertThat(undecided.get("pass").asBoolean()).isFalse();
        assertThat(undecided.get("reasons").get(0).get("status").asText()).isEqualTo("UNKNOWN");
    }
}
