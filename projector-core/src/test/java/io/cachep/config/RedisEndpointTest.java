package io.cachep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisEndpointTest {

    @Test
    void toStringAndRedactedUriNeverShowThePassword() {
        RedisEndpoint endpoint = new RedisEndpoint(false, List.of(new Seed("cache", 6379)), 0, Optional.of("app"),
                Optional.of("s3cret"), Duration.ofSeconds(2), RedisTls.DEFAULT, false);

        assertThat(endpoint.redactedUri()).isEqualTo("redis://app:[hidden]@cache:6379/0");
        assertThat(endpoint.toString()).doesNotContain("s3cret").contains("redis://app:[hidden]@cache:6379/0");
    }

    @Test
    void passwordWithoutUserIsStillHidden() {
        RedisUri.Parts parts = RedisUri.parse("redis://:s3cret@cache");

        assertThat(parts.username()).isEmpty();
        assertThat(parts.password()).contains("s3cret");
        assertThat(parts.redacted()).isEqualTo("redis://:[hidden]@cache:6379/0");
        assertThat(parts.toString()).doesNotContain("s3cret");
    }

    @Test
    void aUserAloneIsAUserWhosePasswordComesFromElsewhere() {
        RedisUri.Parts parts = RedisUri.parse("rediss://cachep@redis.internal:6380/0");

        assertThat(parts.userOnly()).isTrue();
        assertThat(parts.username()).contains("cachep");
        assertThat(parts.password()).isEmpty();
        assertThat(RedisUri.parse("redis://cachep:@cache").userOnly()).isFalse();
    }

    @Test
    void aSeedListNamesEveryNodeAndKeepsTheCredentialsHidden() {
        RedisUri.Parts parts = RedisUri.parse("rediss://app:s3cret@10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002");

        assertThat(parts.seeds()).containsExactly(new Seed("10.0.0.1", 7000), new Seed("10.0.0.2", 7001),
                new Seed("::1", 7002));
        assertThat(parts.redacted()).isEqualTo("rediss://app:[hidden]@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002/0");
    }

    @Test
    void aBrokenSeedIsNamedWithTheOthers() {
        assertThatThrownBy(() -> RedisUri.parse("redis://a:7000,,b:port"))
                .hasMessageContaining("host is missing")
                .hasMessageContaining("port must be a number from 1 to 65535, not 'port'");
    }

    @Test
    void redissMeansTls() {
        assertThat(RedisUri.parse("rediss://cache:6380/3").tls()).isTrue();
        assertThat(RedisUri.parse("redis://cache:6380/3").tls()).isFalse();
        assertThat(RedisUri.parse("REDISS://cache").tls()).isTrue();
    }

    @Test
    void readsEveryPart() {
        RedisUri.Parts parts = RedisUri.parse("redis://us%40er:p%3Aw+d@cache.internal:6380/15");

        assertThat(parts.host()).isEqualTo("cache.internal");
        assertThat(parts.port()).isEqualTo(6380);
        assertThat(parts.database()).isEqualTo(15);
        assertThat(parts.username()).contains("us@er");
        assertThat(parts.password()).contains("p:w+d"); // '+' is not a space in a URI
    }

    @Test
    void bracketedIpv6Host() {
        RedisUri.Parts parts = RedisUri.parse("redis://[::1]:7000");

        assertThat(parts.host()).isEqualTo("::1");
        assertThat(parts.port()).isEqualTo(7000);
        assertThat(parts.redacted()).isEqualTo("redis://[::1]:7000/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://u:s3cret@cache:6379",
            "redis://u:s3cret@:6379",
            "redis://u:s3cret@cache:0",
            "redis://u:s3cret@cache:port",
            "redis://u:s3cret@cache/db",
            "redis://u:s3%zzcret@cache",
            "redis://u:s3cret@cache?password=s3cret",
            "u:s3cret@cache:6379",
            "redis://u:s3cret@cache:6379#s3cret"})
    void invalidUrisAreRejectedWithoutEchoingThePassword(String uri) {
        assertThatThrownBy(() -> RedisUri.parse(uri))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("projector.redis.uri is invalid: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void everyProblemInOneUriIsNamed() {
        assertThatThrownBy(() -> RedisUri.parse("http://cache:99999/x"))
                .hasMessageContaining("scheme must be redis:// or rediss://")
                .hasMessageContaining("port must be from 1 to 65535, not 99999")
                .hasMessageContaining("database after '/' must be a number");
    }
}
