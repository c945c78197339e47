package io.graybridge.bridge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.graybridge.bridge.config.BridgeConfig;
import io.graybridge.bridge.db.SideDatabase;
import io.graybridge.bridge.deadletter.DeadLetterStore;
import io.graybridge.bridge.gate.GateRun;
import io.graybridge.bridge.gate.GateVerdictJson;
import io.graybridge.bridge.lane.Bridge;
import io.graybridge.bridge.lane.Lane;
import io.graybridge.bridge.lane.LaneStats;
import io.graybridge.bridge.metadata.DeadLetters;
import io.graybridge.bridge.metadata.VerificationStore;
import io.graybridge.error.ErrorCode;
import io.graybridge.error.GrayBridgeException;
import io.graybridge.mapping.Direction;
import io.graybridge.mapping.Side;
import io.graybridge.reconcile.gate.GateDecision;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's HTTP surface, started by {@code graybridge run} when {@code http.port} is set: one JDK
 * {@link HttpServer}, no framework.
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text ({@link BridgeMetrics});
 *   <li>{@code GET /health/live}: 200 while the process serves; {@code GET /health/ready}: 200 when every
 *       enabled lane runs, streams and is within {@code http.ready-max-lag-seconds}, else 503 with the reasons;
 *   <li>{@code GET|POST /gate/promote}, {@code /gate/rollback}: 200 with the gate's verdict
 *       ({@link GateVerdictJson}), decided by {@link GateRun} exactly as {@code graybridge gate}; with
 *       {@code ?strict=true} (for Flagger webhooks) 200 on PASS and 412 otherwise.
 * </ul>
 *
 * With {@code http.token-env} or {@code http.token-file}, {@code /metrics} and {@code /gate/*} require
 * {@code Authorization: Bearer <token>} (401 otherwise); the health checks stay open for probes. Every
 * error is a JSON {@code {"error": ...}} without a stack trace. It reads the lanes and the bridge metadata
 * and writes only the gate's decision (metadata); never application data.
 */
public final class HttpSurface implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSurface.class);
    private static final int PRECONDITION_FAILED = 412;

    private final Bridge bridge;
    private final HttpServer server;
    private final ExecutorService executor;
    private final BearerAuth auth;
    private final BridgeMetrics metrics;
    private final Object gateLock = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private HttpSurface(Bridge bridge, HttpServer server, ExecutorService executor) {
        this.bridge = bridge;
        this.server = server;
        this.executor = executor;
        this.auth = BearerAuth.of(bridge.config().http().token());
        List<BridgeMetrics.LaneView> lanes = new ArrayList<>();
        LaneStats none = new LaneStats();
        for (Direction d : Direction.values()) {
            lanes.add(BridgeMetrics.lane(d.laneName(),
                    () -> bridge.lane(d).map(l -> l.state() == Lane.State.RUNNING).orElse(false),
                    () -> bridge.lane(d).map(Lane::stats).orElse(none)));
        }
        this.metrics = new BridgeMetrics(lanes, new MetadataReader(bridge));
    }

    /**
     * Starts the server of {@code bridge.config().http()}.
     *
     * @throws GrayBridgeException naming {@code http.port} / {@code http.bind-address} when it cannot listen
     */
    public static HttpSurface start(Bridge bridge) {
        BridgeConfig.Http http = bridge.config().http();
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(http.bindAddress()), http.port());
        } catch (UnknownHostException e) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "http.bind-address '" + http.bindAddress()
                    + "' is not a known address; use an IP address of this machine, 127.0.0.1 or 0.0.0.0");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "cannot listen on " + http.bindAddress() + ":" + http.port()
                    + " (http.bind-address, http.port): " + e.getMessage()
                    + "; choose another http.port, or stop what listens there");
        } catch (IOException e) {
            throw new GrayBridgeException(ErrorCode.CONFIG_INVALID, "cannot start the HTTP server on " + http.bindAddress()
                    + ":" + http.port() + " (http.bind-address, http.port): " + e.getMessage());
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "graybridge-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpSurface surface = new HttpSurface(bridge, server, executor);
        server.createContext("/", surface::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("HTTP server listening on {}:{} (/metrics, /health/live, /health/ready, /gate/promote,"
                + " /gate/rollback); bearer token {}", http.bindAddress(), server.getAddress().getPort(),
                surface.auth.required() ? "required for /metrics and /gate/*" : "not configured");
        return surface;
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(1);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            try (InputStream body = exchange.getRequestBody()) {
                body.readNBytes(1 << 16); // a Flagger webhook posts a small JSON payload; the answer does not depend on it
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/health/live" -> {
                    if (allowed(exchange, method, "GET")) {
                        json(exchange, 200, Map.of("status", "UP"));
                    }
                }
                case "/health/ready" -> {
                    if (allowed(exchange, method, "GET")) {
                        ready(exchange);
                    }
                }
                case "/metrics" -> {
                    if (allowed(exchange, method, "GET") && authorized(exchange)) {
                        send(exchange, 200, BridgeMetrics.contentType(), metrics.scrape());
                    }
                }
                case "/gate/promote", "/gate/rollback" -> {
                    if (allowed(exchange, method, "GET", "POST") && authorized(exchange)) {
                        gate(exchange, path.substring("/gate/".length()), strict(exchange.getRequestURI().getRawQuery()));
                    }
                }
                default -> error(exchange, 404, "no such endpoint: " + path
                        + " (endpoints: /metrics, /health/live, /health/ready, /gate/promote, /gate/rollback)");
            }
        } catch (IOException e) {
            LOG.debug("HTTP: answering {} failed: {}", exchange.getRequestURI().getPath(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("HTTP: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            try {
                error(exchange, 500, "internal error (" + e.getClass().getSimpleName() + "); the bridge's log has the details");
            } catch (IOException | RuntimeException ignored) {
                // the response may have begun already; nothing more to tell the client
            }
        }
    }

    /** Whether {@code ?strict=true} asks for the Flagger variant. */
    static boolean strict(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.equalsIgnoreCase("strict=true") || pair.equalsIgnoreCase("strict")) {
                return true;
            }
        }
        return false;
    }

    private void ready(HttpExchange exchange) throws IOException {
        List<Readiness.Lane> lanes = new ArrayList<>();
        for (Lane lane : bridge.lanes()) {
            String state = lane.state().name().toLowerCase(Locale.ROOT);
            boolean streaming;
            try {
                streaming = lane.state() == Lane.State.RUNNING && lane.isStreaming();
            } catch (RuntimeException e) {
                streaming = false;
                state = "unreachable (" + e.getClass().getSimpleName() + " reading its slot)";
            }
            lanes.add(new Readiness.Lane(lane.name(), state, streaming, lane.stats().newestLag()));
        }
        Readiness r = Readiness.of(lanes, Duration.ofSeconds(bridge.config().http().readyMaxLagSeconds()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", r.ready() ? "READY" : "NOT_READY");
        doc.put("reasons", r.reasons());
        json(exchange, r.ready() ? 200 : 503, doc);
    }

    private void gate(HttpExchange exchange, String action, boolean strict) throws IOException {
        GateRun.Result result;
        synchronized (gateLock) { // one evaluation at a time: each one commits watermarks and waits for the lanes
            try {
                result = GateRun.decide(bridge.config(), bridge.side(Side.V1), bridge.side(Side.V2), action, null);
            } catch (GrayBridgeException | org.jdbi.v3.core.JdbiException e) {
                LOG.warn("HTTP gate {}: could not decide: {}", action, e.getMessage());
                result = new GateRun.Result(new GateDecision(action, GateDecision.Verdict.UNDECIDED,
                        List.of(new GateDecision.Reason("inputs", GateDecision.Outcome.UNKNOWN,
                                "could not read the gate's inputs: " + e.getMessage()))), Instant.now());
            }
        }
        boolean pass = result.decision().verdict() == GateDecision.Verdict.PASS;
        send(exchange, strict && !pass ? PRECONDITION_FAILED : 200, "application/json",
                GateVerdictJson.render(result.decision(), result.decidedAt()));
    }

    private boolean allowed(HttpExchange exchange, String method, String... methods) throws IOException {
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
        error(exchange, 405, "method " + method + " is not allowed here; use " + String.join(" or ", methods));
        return false;
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (auth.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        LOG.debug("HTTP: {} from {} without a valid bearer token", exchange.getRequestURI().getPath(),
                exchange.getRemoteAddress());
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"graybridge\"");
        error(exchange, 401, "this endpoint needs the header 'Authorization: Bearer <token>' with the token of"
                + " http.token-env or http.token-file");
        return false;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message, "status", status));
    }

    private static void json(HttpExchange exchange, int status, Object doc) throws IOException {
        send(exchange, status, "application/json", GateVerdictJson.write(doc));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** The metrics' metadata reads, on the bridge's pools; a failed read keeps zeros and is logged. */
    private static final class MetadataReader implements BridgeMetrics.Metadata {
        private final Bridge bridge;
        private final VerificationStore verification;
        private VerificationStore.Summary summary = VerificationStore.Summary.NONE;
        private Map<String, Long> lastOpen = Map.of();

        MetadataReader(Bridge bridge) {
            this.bridge = bridge;
            BridgeConfig cfg = bridge.config();
            this.verification = new VerificationStore(bridge.side(Side.V1), cfg.metadataSchema(), cfg.name());
        }

        @Override
        public Map<String, Long> openDeadLetters() {
            BridgeConfig cfg = bridge.config();
            Map<String, Long> open = new HashMap<>();
            try {
                for (SideDatabase side : DeadLetters.distinct(List.of(bridge.side(Side.V1), bridge.side(Side.V2)))) {
                    for (DeadLetterStore.Count c : DeadLetterStore.counts(side, cfg.metadataSchema(), cfg.name())) {
                        open.merge(c.lane(), c.open(), Long::sum);
                    }
                }
                summary = verification.summary();
                lastOpen = open;
            } catch (RuntimeException e) {
                LOG.warn("metrics: reading the bridge metadata failed ({}); dead letters and verification show their"
                        + " last values", e.getMessage());
            }
            return lastOpen;
        }

        @Override
        public long verificationFindings() {
            return summary.findings();
        }

        @Override
        public long verificationKeysChecked() {
            return summary.keysChecked();
        }

        @Override
        public String phase() {
            io.graybridge.bridge.lifecycle.Phase p = bridge.phase();
            return p == null ? null : p.id();
        }
    }
}
