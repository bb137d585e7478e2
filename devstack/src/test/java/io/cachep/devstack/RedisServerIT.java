package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisServerIT {

    @Test
    void shouldAnswerPingOnAFreePortAndRemoveItsDirectoryOnClose() throws Exception {
        Path dir;
        long pid;
        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults())) {
            dir = redis.directory();
            pid = redis.pid();
            assertThat(redis.port()).isPositive();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.isAlive()).isTrue();
            assertThat(ProcessHandle.of(pid)).get().extracting(ProcessHandle::isAlive).isEqualTo(true);
            assertThat(RawResp.command(redis.port(), "PING")).isEqualTo("+PONG");
            assertThat(Files.readString(dir.resolve("redis.pid")).strip()).isEqualTo(Long.toString(pid));
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldNotAnswerWhilePausedAndAnswerAgainAfterResume() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults())) {
            redis.pause();
            assertThat(redis.isAlive()).isTrue();
            assertThatThrownBy(() -> RawResp.command(redis.port(), Duration.ofMillis(500), "PING"))
                    .isInstanceOf(SocketTimeoutException.class);

            redis.resume();
            assertThat(RawResp.command(redis.port(), "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void shouldKeepAofDataAcrossKillAndRestartOnTheSamePort() throws Exception {
        RedisServer.Options aof = RedisServer.Options.defaults()
                .withExtraArgs("--appendonly", "yes", "--appendfsync", "always");
        try (RedisServer redis = RedisServer.start(aof)) {
            int port = redis.port();
            long firstPid = redis.pid();
            assertThat(RawResp.command(port, "SET", "k", "v")).isEqualTo("+OK");

            redis.kill();
            assertThat(redis.isAlive()).isFalse();
            assertThatThrownBy(() -> RawResp.command(port, "PING")).isInstanceOf(java.io.IOException.class);

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(firstPid);
            assertThat(RawResp.command(port, "GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void shouldStopAndRestartCleanly() throws Exception {
        try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults())) {
            redis.stop();
            assertThat(redis.isAlive()).isFalse();
            redis.restart();
            assertThat(redis.isAlive()).isTrue();
            assertThat(RawResp.command(redis.port(), "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void shouldStartWithAPasswordAndRequireIt() throws Exception {
        RedisServer.Options withPassword = RedisServer.Options.defaults().withExtraArgs("--requirepass", "x");
        try (RedisServer redis = RedisServer.start(withPassword)) {
            assertThat(RawResp.command(redis.port(), "PING")).startsWith("-NOAUTH");
            assertThat(RawResp.command(redis.port(), "AUTH", "x")).isEqualTo("+OK");
        }
    }

    @Test
    void shouldFailWithTheLogTailWhenRedisRejectsItsArguments() {
        assertThatThrownBy(() -> RedisServer.start(RedisServer.Options.defaults()
                        .withExtraArgs("--no-such-option", "1")))
                .isInstanceOf(DevStackException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-option");
    }
}
