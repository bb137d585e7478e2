package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
    @Test
    void shouldListEveryProblemAtOnce() {
        assertThatThrownBy(() -> CachepClient.builder()
                .l1MaxEntries(-1)
                .readTimeout(Duration.ZERO)
                .trackingHeartbeat(Duration.ofSeconds(3))
                .trackingTimeout(Duration.ofSeconds(2))
                .maxStaleness(Duration.ofSeconds(-1))
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redisUri: not set")
                .hasMessageContaining("namespace: not set")
                .hasMessageContaining("l1MaxEntries: -1 is negative")
                .hasMessageContaining("readTimeout: PT0S must be positive")
                .hasMessageContaining("trackingTimeout: PT2S must be longer than trackingHeartbeat (PT3S)")
                .hasMessageContaining("maxStaleness: PT-1S must be zero (off) or positive");
    }
}
