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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The other shapes a record can take on the topic, through a real broker, the real projector and a real
 * redis-server: a CloudEvent in binary content mode (attributes in {@code ce_*} headers, data as the value) and a Kafka
 * tombstone (null value) that an {@code on-tombstone} rule turns into a fenced delete.
 */
@ExtendWith(DevStackExtension.class)
class EnvelopeModesIT {
    static final String STARTED = ProjectionEndToEndIT.STARTED;
    /** The end-to-end rules plus an on-tombstone rule. */
    static final String RULES = ProjectionEndToEndIT.RULES + """
              - name: session-gone
                topic: ${topic}
                on-tombstone: true
                mutations:
                  - delete: { key: "session:{subject}" }
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

    /** A session-started event in binary mode: every attribute a ce_ header, the value only the data. */
    private ProducerRecord<String, byte[]> binarySessionStarted(String subject, long version, Instant time, String device) {
        Headers headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.randomUUID().toString());
        header(headers, "ce_type", STARTED);
        header(headers, "ce_source", "/binary-producer");
        header(headers, "ce_subject", subject);
        header(headers, "ce_time", time.toString());
        header(headers, "ce_entityversion", Long.toString(version));
        header(headers, "content-type", "application/json");
        byte[] data = ("{\"userId\":\"u-1\",\"device\":\"" + device + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(projector.topic, null, null, subject, data, headers);
    }

    /** A Kafka tombstone for {@code subject}: null value, optionally with the version that removed the entity. */
    private ProducerRecord<String, byte[]> tombstone(String subject, Long version) {
        Headers headers = new RecordHeaders();
        if (version != null) {
            header(headers, "ce_entityversion", Long.toString(version));
        }
        return new ProducerRecord<>(projector.topic, null, null, subject, null, headers);
    }

    private static void header(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldApplyABinaryModeEventLikeAStructuredOneAndFenceBothModesTogether() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        projector.sendRecord(binarySessionStarted("s-1", 2, now, "web"));
        projector.send("s-1", sessionEvent(STARTED, "s-1", 1, now.minusSeconds(5), "structured-but-older"));
        projector.send("s-2", sessionEvent(STARTED, "s-2", 1, now, "ios"));
        projector.awaitProcessed(3);

        assertThat(projector.redis().hgetall(projector.key("session:{s-1}")))
                .isEqualTo(Map.of("userId", "u-1", "device", "web"));
        assertThat(projector.redis().pexpiretime(projector.key("session:{s-1}")))
                .isEqualTo(now.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(projector.redis().hgetall(projector.key("session:{s-2}")))
                .isEqualTo(Map.of("userId", "u-1", "device", "ios"));
        assertThat(projector.app.metrics().count("applied")).isEqualTo(2);
        assertThat(projector.app.metrics().count("stale")).isEqualTo(1);
        assertThat(projector.app.metrics().count("dlq")).isZero();
    }

    @Test
    void shouldDeleteTheEntityOnATombstoneAndNotResurrectItWhenAnOlderUpsertArrivesLate() throws Exception {
        Instant now = Instant.now();
        projector.send("s-3", sessionEvent(STARTED, "s-3", 1, now.minusSeconds(10), "ios"));
        projector.sendRecord(tombstone("s-3", 3L));
        projector.send("s-3", sessionEvent(STARTED, "s-3", 2, now.minusSeconds(5), "late"));
        projector.awaitProcessed(3);

        assertThat(projector.redis().exists(projector.key("session:{s-3}"))).isZero();
        assertThat(projector.app.metrics().count("applied")).isEqualTo(2);
        assertThat(projector.app.metrics().count("stale")).isEqualTo(1);
        assertThat(projector.app.metrics().count("dlq")).isZero();
    }

    @Test
    void shouldDeadLetterATombstoneWithoutAVersionAndGoOnWithTheNextEvent() throws Exception {
        projector.send("s-4", sessionEvent(STARTED, "s-4", 1, Instant.now(), "ios"));
        projector.sendRecord(tombstone("s-4", null));
        projector.send("s-5", sessionEvent(STARTED, "s-5", 1, Instant.now(), "web"));
        projector.awaitProcessed(3);

        List<ConsumerRecord<String, byte[]>> deadLetters = projector.awaitDeadLetters(1);
        assertThat(deadLetters).hasSize(1);
        ConsumerRecord<String, byte[]> dead = deadLetters.get(0);
        assertThat(dead.key()).isEqualTo("s-4");
        assertThat(dead.value()).as("still a tombstone").isNull();
        assertThat(header(dead, DeadLetterHeaders.REASON)).isEqualTo(PoisonReason.TOMBSTONE_WITHOUT_VERSION.name());
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(projector.topic);
        assertThat(header(dead, DeadLetterHeaders.MESSAGE)).contains("ce_entityversion");
        assertThat(projector.redis().hget(projector.key("session:{s-4}"), "device"))
                .as("an unversioned tombstone deletes nothing").isEqualTo("ios");
        assertThat(projector.redis().hget(projector.key("session:{s-5}"), "device")).isEqualTo("web");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
