package io.graybridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Argo Rollouts and Flagger examples in {@code config/examples/}. No Kubernetes runs here, so they are
 * not applied: this checks that they parse as YAML, that each document is a Kubernetes object, and that
 * they call the bridge's endpoints and metric the way the README explains.
 */
class RolloutExamplesTest {
    private static final Path EXAMPLES = RepoRoot.find().resolve("config/examples");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String file) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(EXAMPLES.resolve(file)))) {
            assertThat(doc).as(file).isInstanceOf(Map.class);
            Map<String, Object> object = (Map<String, Object>) doc;
            assertThat(object).as(file).containsKeys("apiVersion", "kind", "metadata", "spec");
            out.add(object);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, Object... path) {
        Object n = node;
        for (Object p : path) {
            n = p instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(p);
        }
        return n;
    }

    @Test
    void shouldParseTheArgoAnalysisTemplateWithTheGateAsWebMetricAndLagFromPrometheus() throws IOException {
        List<Map<String, Object>> docs = documents("argo-rollouts/analysis-template.yaml");

        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("AnalysisTemplate", "Rollout");
        Object gate = at(docs.get(0), "spec", "metrics", 0);
        assertThat(at(gate, "successCondition")).isEqualTo("result == true");
        assertThat(at(gate, "provider", "web", "jsonPath")).isEqualTo("{$.pass}");
        assertThat((String) at(gate, "provider", "web", "url")).endsWith("/gate/promote");
        assertThat((String) at(gate, "provider", "web", "headers", 0, "value")).startsWith("Bearer ");
        Object lag = at(docs.get(0), "spec", "metrics", 1);
        assertThat((String) at(lag, "provider", "prometheus", "query")).contains("graybridge_lane_lag_seconds");
        assertThat(at(docs.get(1), "spec", "strategy", "canary", "steps", 2, "analysis", "templates", 0, "templateName"))
                .isEqualTo(at(docs.get(0), "metadata", "name"));
    }

    @Test
    void shouldParseTheFlaggerCanaryWithStrictGateWebhooksAndALagMetricTemplate() throws IOException {
        List<Map<String, Object>> docs = documents("flagger/canary.yaml");

        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("MetricTemplate", "Canary");
        assertThat((String) at(docs.get(0), "spec", "query")).contains("graybridge_lane_lag_seconds");
        assertThat(at(docs.get(1), "spec", "analysis", "metrics", 0, "templateRef", "name"))
                .isEqualTo(at(docs.get(0), "metadata", "name"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hooks = (List<Map<String, Object>>) at(docs.get(1), "spec", "analysis", "webhooks");
        assertThat(hooks).extracting(h -> h.get("type")).contains("pre-rollout", "confirm-promotion");
        assertThat(hooks).allSatisfy(h -> assertThat((String) h.get("url")).endsWith("/gate/promote?strict=true"));
    }
}
