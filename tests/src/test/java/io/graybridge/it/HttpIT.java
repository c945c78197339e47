package io.graybridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.graybridge.it.support.BridgeProcess;
import io.graybridge.it.support.Cli;
import io.graybridge.it.support.RepoPaths;
import io.graybridge.it.support.ShopFixture;
import io.graybridge.mapping.Side;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTTP surface of {@code graybridge run} over a real socket: the bridge runs as its own process from the
 * packaged jar, both lanes against the machine's PostgreSQL, with a bearer token from a file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpIT {
    private static final String TOKEN = "it-t0ken-" + Long.toHexString(System.nanoTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(?:\\{([^}]*)})? (\\S+)$");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ShopFixture shop;
    private BridgeProcess bridge;
    private Path inProcessConfig;
    private Path config;
    private String base;

    @BeforeAll
    void startBridge() throws Exception {
        shop = ShopFixture.create("http");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Path yaml = shop.writeTwoWayConfig("primary-wins", "");
        Files.writeString(yaml.resolveSibling("http-token"), TOKEN + "\n");
        String http = "http:\n  port: " + port + "\n  token-file: http-token\n";
        Files.writeString(yaml, Files.readString(yaml) + http);
        inProcessConfig = Cli.withInlinePassword(shop, yaml, "in-process.yaml", "");
        config = yaml;
        bridge = BridgeProcess.run(yaml, shop.env(), shop.dir().resolve("http-bridge.log"));
    }

    @AfterAll
    void stopBridge() throws Exception {
        try {
            if (bridge != null) {
                bridge.close();
                assertThat(bridge.output()).as("the token is never logged").doesNotContain(TOKEN);
            }
        } finally {
            shop.close();
        }
    }

    private HttpResponse<String> get(String path, boolean withToken) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), withToken);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, boolean withToken) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(60));
        if (withToken) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).as(r.body()).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    /** Every {@code name{labels} value} sample of a scrape, keyed {@code name{labels}}. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            out.put(m.group(1) + "{" + (m.group(2) == null ? "" : m.group(2)) + "}", Double.parseDouble(m.group(3)));
        }
        return out;
    }

    private Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return samples(r.body());
    }

    @Test
    @Order(1)
    void shouldBeLiveAtOnceAndReadyOnceBothLanesStream() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> assertThat(get("/health/live", false).statusCode()).isEqualTo(200));
        assertThat(json(get("/health/live", false)).get("status").asText()).isEqualTo("UP");

        HttpResponse<String> early = get("/health/ready", false);
        if (early.statusCode() == 503) { // still starting: the reason names the lane
            assertThat(json(early).get("status").asText()).isEqualTo("NOT_READY");
            assertThat(json(early).get("reasons").get(0).asText()).startsWith("lane v");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(get("/health/ready", false).statusCode()).as(bridge::output).isEqualTo(200));
        JsonNode ready = json(get("/health/ready", false));
        assertThat(ready.get("status").asText()).isEqualTo("READY");
        assertThat(ready.get("reasons")).isEmpty();
        assertThat(bridge.isAlive()).isTrue();
    }

    @Test
    @Order(2)
    void shouldRequireTheTokenOnMetricsAndGateButNotOnHealth() throws Exception {
        for (String path : new String[] {"/metrics", "/gate/promote", "/gate/rollback?strict=true"}) {
            HttpResponse<String> without = get(path, false);
            HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + TOKEN + "x"), false);
            assertThat(without.statusCode()).as(path).isEqualTo(401);
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(without.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
            assertThat(json(without).get("error").asText()).contains("Authorization: Bearer", "http.token-file");
            assertThat(without.body()).doesNotContain(TOKEN);
        }
        assertThat(get("/metrics", true).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", false).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void shouldExposeEveryMetricAtZeroFromTheStartThenCountAppliedChanges() throws Exception {
        Map<String, Double> start = scrape();
        for (String lane : new String[] {"v1-to-v2", "v2-to-v1"}) {
            String l = "lane=\"" + lane + "\"";
            assertThat(start).as(lane).containsEntry("graybridge_lane_up{" + l + "}", 1.0)
                    .containsEntry("graybridge_events_applied_total{" + l + "}", 0.0)
                    .containsEntry("graybridge_echoes_suppressed_total{" + l + "}", 0.0)
                    .containsEntry("graybridge_conflicts_total{" + l + ",outcome=\"incoming_won\"}", 0.0)
                    .containsEntry("graybridge_conflicts_total{" + l + ",outcome=\"current_kept\"}", 0.0)
                    .containsEntry("graybridge_dead_letters_total{" + l + "}", 0.0)
                    .containsEntry("graybridge_dead_letters_open{" + l + "}", 0.0)
                    .containsKey("graybridge_lane_lag_seconds{" + l + "}");
        }
        assertThat(start).containsEntry("graybridge_verification_findings_total{}", 0.0)
                .containsKey("graybridge_verification_keys_checked_total{}");
        assertThat(start.entrySet().stream().filter(e -> e.getKey().startsWith("graybridge_release_phase{")))
                .as("one series per phase, exactly one of them 1").hasSize(5)
                .extracting(Map.Entry::getValue).containsOnlyOnce(1.0);
        assertThat(start.keySet()).allSatisfy(k -> assertThat(k).startsWith("graybridge_"));

        shop.execute(Side.V1, "INSERT INTO shop_v1.customers (id, name, balance_cents) SELECT g, 'c' || g, g"
                + " FROM generate_series(1, 25) g");
        shop.execute(Side.V1, "UPDATE shop_v1.customers SET balance_cents = balance_cents + 1 WHERE id <= 5");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, Double> now = scrape();
            assertThat(now).containsEntry("graybridge_events_applied_total{lane=\"v1-to-v2\"}", 30.0);
            assertThat(now.get("graybridge_echoes_suppressed_total{lane=\"v2-to-v1\"}"))
                    .as("the bridge's own writes on v2 come back and are dropped").isEqualTo(30.0);
        });
        Map<String, Double> after = scrape();
        assertThat(after).containsEntry("graybridge_events_applied_total{lane=\"v2-to-v1\"}", 0.0);
        assertThat(after.get("graybridge_lane_lag_seconds{lane=\"v1-to-v2\"}")).isGreaterThan(0.0).isLessThan(30.0);
    }

    @Test
    @Order(4)
    void shouldServeTheGateVerdictFailingWithoutADriftResultAndPassingAfterACleanDrift() throws Exception {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema schema = registry.getSchema(Files.readString(RepoPaths.root().resolve("docs/http/gate-verdict.schema.json")),
                InputFormat.JSON);

        HttpResponse<String> fail = get("/gate/promote", true);
        assertThat(fail.statusCode()).as(fail.body()).isEqualTo(200);
        JsonNode failed = json(fail);
        assertThat(schema.validate(failed)).as(fail.body()).isEmpty();
        assertThat(failed.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(failed.get("pass").asBoolean()).isFalse();
        assertThat(failed.get("reasons").get(0).get("check").asText()).isEqualTo("drift");
        assertThat(failed.get("reasons").get(0).get("status").asText()).isEqualTo("FAIL");
        assertThat(failed.get("reasons").get(0).get("detail").asText()).startsWith("no drift result");
        HttpResponse<String> flaggerFail = send(HttpRequest.newBuilder(URI.create(base + "/gate/promote?strict=true"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"shop\",\"phase\":\"Progressing\"}"))
                .header("Content-Type", "application/json"), true);
        assertThat(flaggerFail.statusCode()).as(flaggerFail.body()).isEqualTo(412);
        assertThat(json(flaggerFail).get("verdict").asText()).isEqualTo("FAIL");

        Cli.Run drift = Cli.run("drift", "-c", inProcessConfig.toString());
        assertThat(drift.exit()).as(drift.toString()).isZero();

        for (String action : new String[] {"promote", "rollback"}) {
            HttpResponse<String> pass = get("/gate/" + action, true);
            JsonNode passed = json(pass);
            assertThat(pass.statusCode()).isEqualTo(200);
            assertThat(schema.validate(passed)).as(pass.body()).isEmpty();
            assertThat(passed.get("action").asText()).isEqualTo(action);
            assertThat(passed.get("verdict").asText()).as(pass.body()).isEqualTo("PASS");
            assertThat(passed.get("pass").asBoolean()).isTrue();
            assertThat(passed.get("reasons")).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("PASS"));
            HttpResponse<String> flagger = send(HttpRequest.newBuilder(URI.create(base + "/gate/" + action + "?strict=true"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")), true);
            assertThat(flagger.statusCode()).as(flagger.body()).isEqualTo(200);
        }
        assertThat(shop.count(Side.V1, "SELECT count(*) FROM graybridge.gate_decision WHERE verdict = 'pass'"))
                .as("the HTTP gate stores its decision like graybridge gate").isEqualTo(2);
    }

    @Test
    @Order(5)
    void shouldAnswerUnknownPathsAndMethodsWithJsonErrorsAndNoStackTrace() throws Exception {
        HttpResponse<String> missing = get("/gate/finalise", true);
        HttpResponse<String> method = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).DELETE(), true);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).contains("/gate/finalise", "/gate/promote");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).hasValue("GET");
        assertThat(json(method).get("error").asText()).contains("DELETE");
        assertThat(missing.body() + method.body()).doesNotContain("\tat ", "Exception");
    }

    @Test
    @Order(6)
    void shouldRefuseToRunOnAPortInUseNamingTheSetting() throws Exception {
        try (BridgeProcess second = BridgeProcess.start(java.util.List.of("run", "-c", config.toString()), shop.env(),
                shop.dir().resolve("http-second.log"))) {
            assertThat(second.awaitExit(90)).as(second::output).isEqualTo(2);
            assertThat(second.output()).contains("(http.bind-address, http.port)", "choose another http.port")
                    .doesNotContain(TOKEN, "\tat ");
        }
        assertThat(get("/health/ready", false).statusCode()).as("the first bridge runs on").isEqualTo(200);
    }
}
