package io.cachep.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.rules.KeyLayout;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One follower per namespace, on a real redis-server, with a lease short enough to watch it lapse. */
@ExtendWith(DevStackExtension.class)
class FollowLeaseIT {
    private static final Duration TTL = Duration.ofMillis(900);

    @Test
    void shouldLetOneFollowerHoldTheLeaseAndTheOtherTakeItWhenGivenUpLapsedOrFlushed(DevStack stack,
                                                                                    TestIsolation isolation) {
        RedisClient client = RedisClient.create(stack.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            KeyLayout layout = new KeyLayout(isolation.keyPrefix());
            FollowLease first = new FollowLease(redis, layout, "first", TTL);
            FollowLease second = new FollowLease(redis, layout, "second", TTL);

            assertThat(first.hold()).isEmpty();
            assertThat(second.hold()).contains(first.holder());
            assertThat(first.hold()).as("renewed by its holder").isEmpty();

            // Given up at a stop (expired within a millisecond): the other takes it at once.
            first.release();
            Awaitility.await().atMost(Duration.ofMillis(500)).until(() -> second.hold().isEmpty());
            assertThat(first.hold()).contains(second.holder());

            // Kept renewed through long work, well past its time to live.
            try (FollowLease.Renewal renewing = second.keptDuring("a long read")) {
                long until = System.currentTimeMillis() + 3 * TTL.toMillis();
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            assertThat(first.hold()).as("held by the renewed one").contains(second.holder());
                            return System.currentTimeMillis() > until;
                        });
            }
            // Not renewed any more (a holder that stalled, or died): it lapses, and the other takes it.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.hold().isEmpty());

            // A FLUSHALL takes the key with it (here: the key alone is deleted). The one standing by finds it free
            // but leaves it for a look; its holder, renewing, takes it back. Free at two looks in a row, it is taken.
            assertThat(second.hold()).contains(first.holder());
            redis.del(layout.followLease());
            assertThat(second.hold()).contains(FollowLease.NOBODY_YET);
            assertThat(first.hold()).isEmpty();
            assertThat(second.hold()).contains(first.holder());
            first.release();
            Awaitility.await().atMost(Duration.ofMillis(500)).until(() -> redis.exists(layout.followLease()) == 0);
            assertThat(second.hold()).contains(FollowLease.NOBODY_YET);
            assertThat(second.hold()).isEmpty();
        } finally {
            client.shutdown();
        }
    }
}
