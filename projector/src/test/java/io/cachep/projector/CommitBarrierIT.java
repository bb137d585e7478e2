package io.cachep.projector;

import static io.cachep.projector.TestEvents.sessionEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Commit after Redis, proven through the real broker and a real redis-server: while Redis accepts no writes, the
 * projector's committed offset never passes a record whose writes Redis has not acknowledged, however many commit
 * intervals go by; when Redis takes writes again, everything is applied and committed.
 */
@ExtendWith(DevStackExtension.class)
class CommitBarrierIT {
    private static final int BEFORE = 100;
    private static final int DURING = 100;
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    @Test
    void shouldNeverCommitAnOffsetPastWritesRedisHasNotAcknowledged(DevStack stack, TestIsolation isolation) throws Exception {
        try (RedisServer redisServer = RedisServer.start(RedisServer.Options.defaults());
             ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     redisServer.uri(), 1, Map.of("projector.kafka.commit.interval.ms", Long.toString(COMMIT_INTERVAL.toMillis())));
             RedisClient client = RedisClient.create(redisServer.uri());
             StatefulRedisConnection<String, String> observer = client.connect();
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()))) {
            projector.start();
            RedisCommands<String, String> redis = observer.sync();
            TopicPartition partition = new TopicPartition(projector.topic, 0);
            send(projector, 0, BEFORE);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, isolation, partition) == BEFORE);

            // From now on Redis blocks every write (this connection can still read): nothing more is acknowledged.
            client(redis, "PAUSE", "60000", "WRITE");
            try {
                send(projector, BEFORE, BEFORE + DURING);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> inFlight(projector) > 0);
                // Many commit intervals go by; at every look, every committed record has its write in Redis.
                Awaitility.await().during(COMMIT_INTERVAL.multipliedBy(15)).atMost(COMMIT_INTERVAL.multipliedBy(30))
                        .until(() -> writtenPrefix(redis, projector) >= committed(admin, isolation, partition));
                assertThat(committed(admin, isolation, partition)).isEqualTo(BEFORE);
                assertThat(inFlight(projector)).as("the new records were consumed and their writes sent").isPositive();
            } finally {
                client(redis, "UNPAUSE");
            }
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> committed(admin, isolation, partition) == BEFORE + DURING);
            assertThat(writtenPrefix(redis, projector)).isEqualTo(BEFORE + DURING);
        }
    }

    private static void send(ProjectorHarness projector, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            // One partition, one subject per record: the record at offset i writes exactly session:{s-i}.
            projector.send("s-" + i, sessionEvent(ProjectionEndToEndIT.STARTED, "s-" + i, 1, Instant.now(), "web"));
        }
    }

    /** How many records, from offset 0 on without a gap, have their write in Redis. */
    private static long writtenPrefix(RedisCommands<String, String> redis, ProjectorHarness projector) {
        int i = 0;
        while (i < BEFORE + DURING && redis.exists(projector.key("session:{s-" + i + "}")) == 1) {
            i++;
        }
        return i;
    }

    private static double inFlight(ProjectorHarness projector) {
        return projector.app.registry().get("cachep.inflight.events").gauge().value();
    }

    private static long committed(Admin admin, TestIsolation isolation, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(isolation.applicationId())
                .partitionsToOffsetAndMetadata().get().get(partition);
        return offset == null ? 0 : offset.offset();
    }

    private static void client(RedisCommands<String, String> redis, String... args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            commandArgs.add(arg);
        }
        redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), commandArgs);
    }
}
