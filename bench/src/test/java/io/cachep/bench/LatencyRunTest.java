package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRunTest {
    @Test
    void shouldReadPercentilesOffTheSortedSamplesByNearestRank() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (i + 1) * 1_000_000L; // 1 ms .. 1000 ms
        }
        LatencyRun.Result result = new LatencyRun.Result(100, 1000, nanos, 0);

        assertThat(result.percentileMillis(50)).isEqualTo(500.0);
        assertThat(result.percentileMillis(99)).isEqualTo(990.0);
        assertThat(result.percentileMillis(99.9)).isEqualTo(999.0);
        assertThat(result.percentileMillis(100)).isEqualTo(1000.0);
    }

    @Test
    void shouldSayNothingWithoutSamples() {
        assertThat(new LatencyRun.Result(100, 0, new long[0], 0).percentileMillis(99)).isNaN();
    }
}
