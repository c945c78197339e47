package io.graybridge.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.graybridge.bridge.lane.LaneStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*})? (\\S+)$");

    private final AtomicBoolean forwardUp = new AtomicBoolean();
    private long openDeadLetters;
    private String phase = "dual";

    private BridgeMetrics metrics() {
        LaneStats forward = new LaneStats();
        LaneStats backward = new LaneStats();
        return new BridgeMetrics(List.of(BridgeMetrics.lane("v1-to-v2", forwardUp::get, () -> forward),
                BridgeMetrics.lane("v2-to-v1", () -> false, () -> backward)), new BridgeMetrics.Metadata() {
                    @Override
                    public Map<String, Long> openDeadLetters() {
                        return Map.of("v1-to-v2", openDeadLetters);
                    }

                    @Override
                    public long verificationFindings() {
                        return 3;
                    }

                    @Override
                    public long verificationKeysChecked() {
                        return 40;
                    }

                    @Override
                    public String phase() {
                        return phase;
                    }
                });
    }

    @Test
    void shouldExposeEveryMetricFromTheStartWithZeroForBothLanes() {
        String text = metrics().scrape();

        for (String lane : List.of("v1-to-v2", "v2-to-v1")) {
            String l = "lane=\"" + lane + "\"";
            assertThat(sample(text, "graybridge_lane_up", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_lane_lag_seconds", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_events_applied_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_snapshot_rows_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_echoes_suppressed_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_conflicts_total", l + ",outcome=\"current_kept\"")).isEqualTo(0);
            assertThat(sample(text, "graybridge_conflicts_total", l + ",outcome=\"incoming_won\"")).isEqualTo(0);
            assertThat(sample(text, "graybridge_dead_letters_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_dead_letters_open", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_knowledge_only_cycles_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_engine_restarts_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_barrier_waits_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_barrier_wait_seconds_total", l)).isEqualTo(0);
            assertThat(sample(text, "graybridge_keys_not_held_total", l)).isEqualTo(0);
        }
        assertThat(sample(text, "graybridge_verification_findings_total", null)).isEqualTo(3);
        assertThat(sample(text, "graybridge_verification_keys_checked_total", null)).isEqualTo(40);
        assertThat(text).contains("# TYPE graybridge_lane_lag_seconds gauge", "# TYPE graybridge_events_applied_total counter",
                "# HELP graybridge_events_applied_total ");
    }

    @Test
    void shouldUseOnlyTheGraybridgePrefixAndTheLaneOutcomeAndPhaseLabels() {
        Matcher m = SAMPLE.matcher(metrics().scrape());
        int samples = 0;
        while (m.find()) {
            samples++;
            assertThat(m.group(1)).startsWith("graybridge_");
            if (m.group(2) != null) {
                assertThat(m.group(2).replaceAll("\"[^\"]*\"", "")).matches("\\{(lane=(,outcome=)?|phase=)}");
            }
        }
        assertThat(samples).as("2 lanes x 14 series + 2 bridge-wide + 5 phases").isEqualTo(35);
    }

    @Test
    void shouldFollowTheLanesAndTheMetadataAtEveryScrape() {
        BridgeMetrics metrics = metrics();
        forwardUp.set(true);
        openDeadLetters = 7;

        String text = metrics.scrape();

        assertThat(sample(text, "graybridge_lane_up", "lane=\"v1-to-v2\"")).isEqualTo(1);
        assertThat(sample(text, "graybridge_dead_letters_open", "lane=\"v1-to-v2\"")).isEqualTo(7);
        assertThat(sample(text, "graybridge_dead_letters_open", "lane=\"v2-to-v1\"")).isEqualTo(0);
        assertThat(sample(text, "graybridge_release_phase", "phase=\"dual\"")).isEqualTo(1);
        assertThat(sample(text, "graybridge_release_phase", "phase=\"promoted\"")).isEqualTo(0);

        phase = "promoted";
        String after = metrics.scrape();

        assertThat(sample(after, "graybridge_release_phase", "phase=\"dual\"")).isEqualTo(0);
        assertThat(sample(after, "graybridge_release_phase", "phase=\"promoted\"")).isEqualTo(1);
    }

    @Test
    void shouldKeepReadingTheLanesAfterAGarbageCollection() throws InterruptedException {
        BridgeMetrics metrics = metrics();
        forwardUp.set(true);
        for (int i = 0; i < 3; i++) {
            System.gc(); // Micrometer holds what a gauge reads only weakly: the views must be held elsewhere
            Thread.sleep(20);
        }

        String text = metrics.scrape();

        assertThat(sample(text, "graybridge_lane_up", "lane=\"v1-to-v2\"")).isEqualTo(1);
        assertThat(sample(text, "graybridge_lane_lag_seconds", "lane=\"v2-to-v1\"")).isEqualTo(0);
    }

    /** The value of {@code name{labels}}; labels in the exposition's (alphabetical) order. */
    static double sample(String text, String name, String labels) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String l = m.group(2) == null ? null : m.group(2).substring(1, m.group(2).length() - 1);
            if (m.group(1).equals(name) && java.util.Objects.equals(l, labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError(name + "{" + labels + "} is missing from:\n" + text);
    }
}
