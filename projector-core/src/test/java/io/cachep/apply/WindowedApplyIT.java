package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator commands' writes survive a Redis that stops answering for a while: with writes paused
 * ({@code CLIENT PAUSE WRITE}) for longer than the command timeout, the calls time out, and {@link WindowedApply}
 * applies them again until Redis answers, saying so once; every event ends applied, Redis equal to the model.
 */
@ExtendWith(DevStackExtension.class)
class WindowedApplyIT {
    private static final String RULES = """
            namespace: ${namespace}
            rules:
              - name: saved
                topic: events
                type: saved
                mutations:
                  - upsert: { key: "item:{subject}", hash: { name: "{data.name}" } }
            """;
    private static final int EVENTS = 5_000;

    @Test
    void shouldRetryWritesThatTimedOutWhileRedisPausedAndEndWithEveryEventApplied(DevStack stack, TestIsolation isolation)
            throws Exception {
        RuleEngine engine = new RuleEngine(RulesFileLoader.parse("rules.yaml",
                RULES.replace("${namespace}", isolation.keyPrefix())));
        CloudEventJsonParser parser = new CloudEventJsonParser();
        List<LoggedEvent> log = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String json = String.format("{\"specversion\":\"1.0\",\"id\":\"e-%d\",\"source\":\"test\",\"type\":\"saved\","
                    + "\"subject\":\"i-%d\",\"time\":\"%s\",\"entityversion\":%d,\"data\":{\"name\":\"n%d\"}}",
                    i, i % 500, Instant.now(), i / 500 + 1, i);
            log.add(new LoggedEvent("events", parser.parse(null, json.getBytes(StandardCharsets.UTF_8))));
        }

        RedisURI uri = RedisURI.create(stack.redisUri());
        uri.setTimeout(Duration.ofMillis(300));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> writes = client.connect();
             StatefulRedisConnection<String, String> admin = client.connect()) {
            RedisApplier applier = new RedisApplier(writes.async(), engine.rules().tombstoneRetention(), engine.layout());
            StringWriter err = new StringWriter();
            AtomicLong acknowledged = new AtomicLong();
            WindowedApply apply = new WindowedApply(applier, Duration.ofMinutes(1), new PrintWriter(err, true),
                    outcome -> acknowledged.incrementAndGet());
            // The library is loaded by the first call, before Redis pauses: a pause refuses FUNCTION LOAD too.
            EventEnvelope first = log.get(0).event();
            apply.apply(EventStamp.of(first), engine.project("events", first));
            apply.drain();

            // CLIENT PAUSE <ms> WRITE (Lettuce has no WRITE mode of its own): FCALL waits, longer than the 300 ms timeout.
            admin.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(2_000).add("WRITE"));
            for (LoggedEvent logged : log.subList(1, log.size())) {
                apply.apply(EventStamp.of(logged.event()), engine.project("events", logged.event()));
            }
            apply.drain();

            assertThat(err.toString()).as("said once that it retries, and once that Redis answers again")
                    .containsOnlyOnce("retrying for up to 60 s").containsOnlyOnce("Redis answers again");
            assertThat(acknowledged.get()).isEqualTo(EVENTS);
            Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli());
            assertThat(RedisSnapshots.read(writes.sync(), engine.layout())).isEqualTo(expected);
        } finally {
            client.shutdown();
        }
    }
}
