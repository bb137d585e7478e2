package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Writes whose fate the projector cannot know: Redis busy past the command timeout ({@code DEBUG SLEEP}), so a
 * timed-out write may still land and is sent again; and the script cache flushed mid-run ({@code SCRIPT FLUSH}),
 * so the script must be reloaded. Either way nothing goes to the DLQ and Redis ends equal to the model.
 */
@ExtendWith(DevStackExtension.class)
class AmbiguousWritesIT {

    @Test
    void shouldEndEqualToTheModelWhenWritesTimeOutAndTheScriptCacheIsFlushed(DevStack stack, TestIsolation isolation) throws Exception {
        try (RedisServer redisServer = RedisServer.start(RedisServer.Options.defaults());
             ProjectorHarness projector = new ProjectorHarness(stack, isolation, ProjectionEndToEndIT.RULES,
                     redisServer.uri(), 3, Map.of("projector.redis.command.timeout.ms", "300"));
             RedisClient client = RedisClient.create(redisServer.uri());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            projector.start();
            List<byte[]> sent = new ArrayList<>();
            Instant now = Instant.now();
            send(projector, sent, 0, 100, 1, now);
            projector.awaitProcessed(sent.size());

            // Redis is busy for 1.5 s: every write sent meanwhile times out (300 ms) and is retried; some land twice.
            admin.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("1.5"));
            send(projector, sent, 0, 100, 2, now.plusSeconds(1));
            projector.awaitProcessed(sent.size());

            admin.sync().scriptFlush();
            send(projector, sent, 0, 100, 3, now.plusSeconds(2));
            projector.awaitProcessed(sent.size());

            assertThat(projector.app.metrics().count("dlq")).isZero();
            CloudEventJsonParser parser = new CloudEventJsonParser();
            List<LoggedEvent> log = new ArrayList<>();
            sent.forEach(value -> log.add(new LoggedEvent(projector.topic, parser.parse(null, value))));
            RuleEngine engine = new RuleEngine(projector.rules);
            assertThat(RedisSnapshots.read(admin.sync(), engine.layout()))
                    .isEqualTo(new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli()));
        }
    }

    private static void send(ProjectorHarness projector, List<byte[]> sent, int from, int to, int version, Instant time)
            throws Exception {
        for (int i = from; i < to; i++) {
            byte[] event = TestEvents.sessionEvent(ProjectionEndToEndIT.STARTED, "s-" + i, version, time, "device-" + version);
            projector.send("s-" + i, event);
            sent.add(event);
        }
    }
}
