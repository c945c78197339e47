package io.graybridge.bridge.http;

import io.graybridge.bridge.lane.LaneStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The bridge's Prometheus metrics ({@code /metrics}), through Micrometer. Names are in base units with the
 * {@code graybridge_} prefix; labels are only {@code lane} and {@code outcome}, never a key or a table, so
 * the series count stays fixed. Every metric is registered at start for both lanes, so it reads 0, never
 * absent, until something happens.
 *
 * <p>Lane counters come from the running lanes ({@link LaneStats}: since this process started; Prometheus
 * handles the reset at a restart). Open dead letters and verification counts come from the bridge metadata,
 * read once per scrape through {@link Metadata}.
 */
final class BridgeMetrics {
    /** What the metrics read of one lane, enabled or not. */
    interface LaneView {
        String lane();

        /** Whether the lane runs in this process now. */
        boolean up();

        /** Its counters; a lane that is not enabled has fresh (zero) ones. */
        LaneStats stats();
    }

    /** What the metrics read of the bridge metadata, once per scrape. */
    interface Metadata {
        /** Open dead letters by lane name (a lane without any may be missing). */
        Map<String, Long> openDeadLetters();

        /** Continuous-verification findings recorded so far. */
        long verificationFindings();

        /** Keys continuous verification checked so far. */
        long verificationKeysChecked();

        /** The release phase as the running bridge last read it ({@code dual}, ...), or null when unknown. */
        String phase();
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Metadata metadata;
    /** Held here: Micrometer keeps only weak references to what its gauges and function counters read. */
    private final List<LaneView> lanes;
    private final Map<String, AtomicLong> openDeadLetters = new ConcurrentHashMap<>();
    private final AtomicLong findings = new AtomicLong();
    private final AtomicLong keysChecked = new AtomicLong();
    private volatile String phase;

    BridgeMetrics(List<LaneView> lanes, Metadata metadata) {
        this.metadata = metadata;
        this.lanes = List.copyOf(lanes);
        for (LaneView lane : this.lanes) {
            Tags tags = Tags.of("lane", lane.lane());
            Gauge.builder("graybridge.lane.up", lane, l -> l.up() ? 1 : 0)
                    .tags(tags).strongReference(true).description("1 while the lane runs in this process, else 0")
                    .register(registry);
            Gauge.builder("graybridge.lane.lag", lane, l -> l.stats().newestLag().toMillis() / 1000.0)
                    .tags(tags).strongReference(true).baseUnit("seconds")
                    .description("Source commit to target commit of the lane's newest applied batch (its slowest change)")
                    .register(registry);
            counter("graybridge.events.applied", lane, LaneStats::streamedChanges, tags,
                    "Streamed source changes the lane applied on its target");
            counter("graybridge.snapshot.rows", lane, LaneStats::snapshotRows, tags, "Rows the lane's backfill copied");
            counter("graybridge.echoes.suppressed", lane, LaneStats::echoesSuppressed, tags,
                    "Changes the loop guard dropped because the bridge itself wrote them");
            counter("graybridge.conflicts", lane, LaneStats::conflictsIncomingWon, tags.and("outcome", "incoming_won"),
                    "Conflicts the lane met, by outcome (incoming_won: the change was applied; current_kept: the"
                            + " target's version stayed)");
            counter("graybridge.conflicts", lane, LaneStats::conflictsCurrentKept, tags.and("outcome", "current_kept"),
                    "Conflicts the lane met, by outcome (incoming_won: the change was applied; current_kept: the"
                            + " target's version stayed)");
            counter("graybridge.dead.letters", lane, LaneStats::deadLetters, tags,
                    "Source changes the lane kept as dead letters (failed mapping, or held behind one)");
            counter("graybridge.knowledge.only.cycles", lane, LaneStats::knowledgeOnlyCycles, tags,
                    "Times the lane's capture read on for knowledge only (latest-wins: its apply queue was full while"
                            + " the reverse lane waited for it)");
            counter("graybridge.engine.restarts", lane, LaneStats::engineRestarts, tags,
                    "Times the lane restarted its capture engine from the stored offset after knowledge-only");
            counter("graybridge.barrier.waits", lane, LaneStats::barrierWaits, tags,
                    "Times the lane's writer waited at the convergence barrier for the reverse lane (two-way policies:"
                            + " once per applied batch with changes decided by knowledge)");
            counter("graybridge.keys.not.held", lane, LaneStats::keysNotHeld, tags,
                    "Keys the lane's writer found missing at a batch's locked read on a PostgreSQL target and could not"
                            + " hold to the commit, the table refusing the change's row image");
            FunctionCounter.builder("graybridge.barrier.wait", lane, l -> l.stats().barrierWaitNanos() / 1e9)
                    .tags(tags).baseUnit("seconds")
                    .description("Time the lane's writer spent waiting at the convergence barrier for the reverse lane")
                    .register(registry);
            AtomicLong open = openDeadLetters.computeIfAbsent(lane.lane(), k -> new AtomicLong());
            Gauge.builder("graybridge.dead.letters.open", open, AtomicLong::get)
                    .tags(tags).strongReference(true)
                    .description("Dead letters of the lane waiting for 'graybridge deadletters retry'")
                    .register(registry);
        }
        for (io.graybridge.bridge.lifecycle.Phase p : io.graybridge.bridge.lifecycle.Phase.values()) {
            // one series per phase, 1 for the current one: a fixed set, so a rollout can alert on it
            Gauge.builder("graybridge.release.phase", this, m -> p.id().equals(m.phase) ? 1 : 0)
                    .tags("phase", p.id()).strongReference(true)
                    .description("1 for the release's current phase (as the running bridge last read it), 0 for the others")
                    .register(registry);
        }
        FunctionCounter.builder("graybridge.verification.findings", findings, AtomicLong::get)
                .description("Keys continuous verification found still differing on a second read").register(registry);
        FunctionCounter.builder("graybridge.verification.keys.checked", keysChecked, AtomicLong::get)
                .description("Keys continuous verification compared on both sides").register(registry);
    }

    private void counter(String name, LaneView lane, Function<LaneStats, Long> value, Tags tags, String help) {
        ToDoubleFunction<LaneView> f = l -> value.apply(l.stats());
        FunctionCounter.builder(name, lane, f).tags(tags).description(help).register(registry);
    }

    /** Reads the metadata, then renders every metric in the Prometheus text format. */
    String scrape() {
        Map<String, Long> open = metadata.openDeadLetters();
        openDeadLetters.forEach((lane, value) -> value.set(open.getOrDefault(lane, 0L)));
        findings.set(metadata.verificationFindings());
        keysChecked.set(metadata.verificationKeysChecked());
        phase = metadata.phase();
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** A view of a lane through suppliers (the lane may be absent: not enabled). */
    static LaneView lane(String name, Supplier<Boolean> up, Supplier<LaneStats> stats) {
        return new LaneView() {
            @Override
            public String lane() {
                return name;
            }

            @Override
            public boolean up() {
                return up.get();
            }

            @Override
            public LaneStats stats() {
                return stats.get();
            }
        };
    }
}
