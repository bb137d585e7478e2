package io.cachep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisSeedsTest {
    @Test
    void shouldGiveEverySeedTheFirstOnesSchemeAndCredentials() {
        List<RedisURI> seeds = RedisSeeds.parse("rediss://reader:secret@h1:7000,h2:7001");
        assertThat(seeds).extracting(RedisURI::getHost).containsExactly("h1", "h2");
        assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001);
        assertThat(seeds).allSatisfy(seed -> {
            assertThat(seed.isSsl()).isTrue();
            RedisCredentials credentials = seed.getCredentialsProvider().resolveCredentials().block();
            assertThat(credentials.getUsername()).isEqualTo("reader");
            assertThat(new String(credentials.getPassword())).isEqualTo("secret");
        });
    }

    @Test
    void shouldReadOneServerAsOneSeed() {
        assertThat(RedisSeeds.parse("redis://localhost:6379/0")).singleElement()
                .satisfies(seed -> assertThat(seed.getPort()).isEqualTo(6379));
    }

    @Test
    void shouldRefuseASeedListWithoutClusterMode() {
        assertThatThrownBy(() -> CachepClient.builder().redisUri("redis://h1:7000,h2:7000").namespace("demo").build())
                .hasMessageContaining("2 seeds, which is a Redis Cluster's form: set cluster(true)");
    }
}
