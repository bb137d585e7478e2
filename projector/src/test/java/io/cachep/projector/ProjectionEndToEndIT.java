package io.cachep.projector;

import static io.cachep.projector.TestEvents.sessionEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Session events through a real KRaft broker, the real projector and a real redis-server. */
@ExtendWith(DevStackExtension.class)
class ProjectionEndToEndIT {
    static final String STARTED = "com.example.session.started";
    static final String ENDED = "com.example.session.ended";
    static final String RULES = """
            namespace: ${namespace}
            tombstone-retention: 24h
            rules:
              - name: session-started
                topic: ${topic}
                type: com.example.session.started
                mutations:
                  - upsert:
                      key: "session:{subject}"
                      hash: { userId: "{data.userId}", device: "{data.device}" }
                      ttl: 1h
              - name: session-ended
                topic: ${topic}
                type: com.example.session.ended
                mutations:
                  - invalidate: { key: "session:{subject}", channel: cache-invalidation }
            """;

    private ProjectorHarness projector;

    @BeforeEach
    void start(DevStack stack, TestIsolation isolation) throws Exception {
        projector = new ProjectorHarness(stack, isolation, RULES).start();
    }

    @AfterEach
    void stop() {
        projector.close();
    }

    @Test
    void shouldKeepTheNewestVersionWhenDuplicatesAndOlderVersionsArrive() throws Exception {
        Instant now = Instant.now();
        projector.send("s-1",
                sessionEvent(STARTED, "s-1", 2, now, "ios"),
                sessionEvent(STARTED, "s-1", 2, now, "redelivered"),
                sessionEvent(STARTED, "s-1", 1, now.minusSeconds(5), "older"));
        projector.awaitProcessed(3);

        assertThat(projector.redis().hgetall(projector.key("session:{s-1}")))
                .isEqualTo(Map.of("userId", "u-1", "device", "ios"));
        assertThat(projector.app.metrics().count("applied")).isEqualTo(1);
        assertThat(projector.app.metrics().count("duplicate")).isEqualTo(1);
        assertThat(projector.app.metrics().count("stale")).isEqualTo(1);
        long expectedExpiry = now.plus(Duration.ofHours(1)).toEpochMilli();
        assertThat(projector.redis().pexpiretime(projector.key("session:{s-1}"))).isEqualTo(expectedExpiry);
    }

    @Test
    void shouldNotResurrectADeletedSessionWhenAnOlderUpsertArrivesLate() throws Exception {
        Instant now = Instant.now();
        projector.send("s-2",
                sessionEvent(STARTED, "s-2", 1, now, "ios"),
                sessionEvent(ENDED, "s-2", 3, now.plusSeconds(1), "ios"),
                sessionEvent(STARTED, "s-2", 2, now, "late"));
        projector.awaitProcessed(3);

        assertThat(projector.redis().exists(projector.key("session:{s-2}"))).isZero();
        assertThat(projector.app.metrics().count("stale")).isEqualTo(1);
    }

    @Test
    void shouldWriteNothingForASessionStartedThreeHoursAgoWithAOneHourTtl() throws Exception {
        projector.send("s-3", sessionEvent(STARTED, "s-3", 1, Instant.now().minus(Duration.ofHours(3)), "ios"));
        projector.awaitProcessed(1);

        assertThat(projector.redis().exists(projector.key("session:{s-3}"))).isZero();
        assertThat(projector.app.metrics().count("expired")).isEqualTo(1);
    }

    @Test
    void shouldSendAPoisonRecordToTheDeadLetterTopicUnchangedWithItsCauseAndGoOn() throws Exception {
        byte[] garbage = "{\"specversion\": oops".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", new byte[] {1, 2, 3});
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(projector.topic, null, 1234L, "s-4", garbage, headers);
        projector.sendRecord(poison);
        projector.send("s-5", sessionEvent(STARTED, "s-5", 1, Instant.now(), "web"));
        projector.awaitProcessed(2);

        List<ConsumerRecord<String, byte[]>> deadLetters = projector.awaitDeadLetters(1);
        ConsumerRecord<String, byte[]> dead = deadLetters.get(0);
        assertThat(dead.key()).isEqualTo("s-4");
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(dead.timestamp()).isEqualTo(1234L);
        assertThat(dead.headers().lastHeader("traceparent").value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(PoisonReason.UNDECODABLE.name());
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(projector.topic);
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("not JSON");
        assertThat(projector.redis().hget(projector.key("session:{s-5}"), "device")).isEqualTo("web");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
