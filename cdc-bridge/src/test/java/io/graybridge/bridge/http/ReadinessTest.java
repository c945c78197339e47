package io.graybridge.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void shouldBeReadyWhenEveryEnabledLaneRunsStreamsAndIsWithinTheLagLimit() {
        Readiness r = Readiness.of(List.of(new Readiness.Lane("v1-to-v2", "running", true, Duration.ofMillis(200)),
                new Readiness.Lane("v2-to-v1", "running", true, LIMIT)), LIMIT);

        assertThat(r.ready()).isTrue();
        assertThat(r.reasons()).isEmpty();
    }

    @Test
    void shouldNameEveryLaneThatIsNotReadyAndWhy() {
        Readiness r = Readiness.of(List.of(new Readiness.Lane("v1-to-v2", "running", false, Duration.ZERO),
                new Readiness.Lane("v2-to-v1", "running", true, Duration.ofMillis(30_500))), LIMIT);
        Readiness failed = Readiness.of(List.of(new Readiness.Lane("v1-to-v2", "failed", false, Duration.ZERO)), LIMIT);

        assertThat(r.ready()).isFalse();
        assertThat(r.reasons()).containsExactly("lane v1-to-v2 is not streaming yet (starting, or backfilling)",
                "lane v2-to-v1 lag 30.5 s is over http.ready-max-lag-seconds (30 s)");
        assertThat(failed.reasons()).containsExactly("lane v1-to-v2 is failed");
    }

    @Test
    void shouldNotBeReadyWithoutAnyLane() {
        assertThat(Readiness.of(List.of(), LIMIT).reasons()).containsExactly("no lane is enabled (lanes.<lane>.enabled)");
    }
}
