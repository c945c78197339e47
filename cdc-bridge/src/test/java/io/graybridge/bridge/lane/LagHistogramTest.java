package io.graybridge.bridge.lane;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LagHistogramTest {

    @Test
    void exactBelowOneHundredMilliseconds() {
        LagHistogram h = new LagHistogram();
        for (int ms = 1; ms <= 99; ms++) {
            h.record(ms);
        }
        LagHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(99);
        assertThat(s.percentile(50)).isEqualTo(Duration.ofMillis(50));
        assertThat(s.percentile(100)).isEqualTo(Duration.ofMillis(99));
        assertThat(s.max()).isEqualTo(Duration.ofMillis(99));
    }

    @Test
    void percentilesWithinFivePercentAboveOneHundredMilliseconds() {
        LagHistogram h = new LagHistogram();
        long[] samples = new SplittableRandom(7).longs(50_000, 0, 120_000).toArray();
        for (long s : samples) {
            h.record(s);
        }
        Arrays.sort(samples);
        LagHistogram.Snapshot snap = h.snapshot();
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
            assertThat((double) snap.percentile(p).toMillis()).as("p%s", p).isCloseTo(exact,
                    org.assertj.core.data.Offset.offset(Math.max(1.0, exact * 0.051)));
        }
        assertThat(snap.max().toMillis()).isEqualTo(samples[samples.length - 1]);
    }

    @Test
    void snapshotsSubtractToTheSamplesInBetween() {
        LagHistogram h = new LagHistogram();
        for (int i = 0; i < 1000; i++) {
            h.record(5_000);
        }
        LagHistogram.Snapshot before = h.snapshot();
        for (int i = 0; i < 1000; i++) {
            h.record(20);
        }
        LagHistogram.Snapshot window = h.snapshot().minus(before);
        assertThat(window.count()).isEqualTo(1000);
        assertThat(window.percentile(99)).isEqualTo(Duration.ofMillis(20));
        assertThat(window.max()).isEqualTo(Duration.ofMillis(20));
        assertThat(before.percentile(50).toMillis()).isBetween(4_760L, 5_250L);
    }

    @Test
    void emptyAndHugeSamples() {
        LagHistogram h = new LagHistogram();
        assertThat(h.snapshot().percentile(99)).isEqualTo(Duration.ZERO);
        h.record(-3);
        h.record(10L * 86_400_000L);
        LagHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.percentile(100)).isEqualTo(Duration.ofMillis(10L * 86_400_000L));
        assertThat(s.percentile(50)).isEqualTo(Duration.ZERO);
    }
}
