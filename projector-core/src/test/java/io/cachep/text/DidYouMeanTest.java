package io.cachep.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DidYouMeanTest {

    @Test
    void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(DidYouMean.distance("URL", "URI")).isEqualTo(1);
        assertThat(DidYouMean.distance("port", "prt")).isEqualTo(1);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("same", "same")).isZero();
    }

    @Test
    void suggestsOnlyNearCandidates() {
        List<String> keys = List.of("projector.redis.uri", "projector.http.port");

        assertThat(DidYouMean.closest("projector.redis.url", keys, 3)).contains("projector.redis.uri");
        assertThat(DidYouMean.closest("projector.metrics.enabled", keys, 3)).isEmpty();
    }

    @Test
    void suggestsTheFieldNameAFieldTypoWasMeantFor() {
        assertThat(DidYouMean.suffix("hsh", List.of("key", "hash", "json", "ttl"))).isEqualTo(", did you mean 'hash'?");
        assertThat(DidYouMean.suffix("colour", List.of("key", "hash"))).isEmpty();
    }
}
