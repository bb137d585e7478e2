package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad input the projector must survive, through a real broker, the real projector and a real
 * redis-server, on one topic and in order, each followed by a good event: each bad record lands in the dead-letter
 * topic exactly once, unchanged, with headers that say why and where; every good event after it is applied.
 */
@ExtendWith(DevStackExtension.class)
class BadInputCatalogueIT {
    static final String STARTED = ProjectionEndToEndIT.STARTED;
    static final String RULES = ProjectionEndToEndIT.RULES;
    /** Data values of the bad events: no dead-letter message may quote them. */
    static final String PAYLOAD_MARK = "payload-value-";
    /** The broker's default limit is about 1 MiB; the 2 MB record and its dead letter need more. */
    static final int MAX_MESSAGE_BYTES = 3_000_000;
    static final int LARGE_VALUE_BYTES = 2_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProjectorHarness projector;
    private Instant started;

    /**
     * One bad input: what it is, the record's key and value, and what the dead letter must say.
     *
     * @param rule    the rule the projector reached before failing, or null when it reached none
     * @param names   what the message must name
     */
    record BadInput(String what, String key, byte[] value, PoisonReason reason, String rule, String names) {}

    @BeforeEach
    void start(DevStack stack, TestIsolation isolation) throws Exception {
        started = Instant.now();
        projector = new ProjectorHarness(stack, isolation, RULES, stack.redisUri(), 1, Map.of(),
                Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)),
                Map.<String, Object>of("max.request.size", MAX_MESSAGE_BYTES)).start();
    }

    @AfterEach
    void stop() {
        projector.close();
    }

    /** A good session-started event for {@code subject}, keyed by it, with data values no message may quote. */
    private static ObjectNode event(String subject) {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0")
                .put("id", UUID.randomUUID().toString())
                .put("type", STARTED)
                .put("source", "/bad-input-catalogue")
                .put("subject", subject)
                .put("time", Instant.now().toString())
                .put("entityversion", 1);
        event.putObject("data").put("userId", PAYLOAD_MARK + "user").put("device", PAYLOAD_MARK + "device");
        return event;
    }

    private static byte[] bytes(Object json) throws Exception {
        return JSON.writeValueAsBytes(json);
    }

    private static BadInput brokenEvent(String what, String key, Consumer<ObjectNode> breakIt, PoisonReason reason,
                                        String rule, String names) throws Exception {
        ObjectNode event = event(key);
        breakIt.accept(event);
        return new BadInput(what, key, bytes(event), reason, rule, names);
    }

    /** The catalogue, in the order it is sent. The WRONGTYPE one needs its key prepared in Redis first. */
    private List<BadInput> catalogue() throws Exception {
        List<BadInput> bad = new ArrayList<>();
        bad.add(new BadInput("an empty value", "bad-empty", new byte[0], PoisonReason.UNDECODABLE, null, "empty"));
        bad.add(new BadInput("not JSON", "bad-not-json",
                ("{\"specversion\": \"1.0\", \"data\": \"" + PAYLOAD_MARK + "truncated").getBytes(StandardCharsets.UTF_8),
                PoisonReason.UNDECODABLE, null, "not JSON"));
        bad.add(new BadInput("a JSON array", "bad-array", bytes(JSON.createArrayNode().add(event("bad-array"))),
                PoisonReason.BAD_ENVELOPE, null, "JSON array"));
        for (String attribute : List.of("specversion", "id", "type", "source", "subject")) {
            bad.add(brokenEvent("no " + attribute, "bad-no-" + attribute, e -> e.remove(attribute),
                    PoisonReason.BAD_ENVELOPE, null, "required attribute '" + attribute + "' is missing"));
        }
        bad.add(brokenEvent("entityversion \"abc\"", "bad-version-abc", e -> e.put("entityversion", "abc"),
                PoisonReason.BAD_VERSION, null, "'entityversion' is not an integer"));
        bad.add(brokenEvent("entityversion -1", "bad-version-negative", e -> e.put("entityversion", -1),
                PoisonReason.BAD_VERSION, null, "'entityversion' is negative"));
        bad.add(brokenEvent("time \"yesterday\"", "bad-time", e -> e.put("time", "yesterday"),
                PoisonReason.BAD_TIME, null, "'time' is not an RFC 3339 timestamp"));
        bad.add(brokenEvent("a 2 MB value", "bad-too-large",
                e -> ((ObjectNode) e.get("data")).put("padding", PAYLOAD_MARK + "x".repeat(LARGE_VALUE_BYTES)),
                PoisonReason.VALUE_TOO_LARGE, null, "over projector.max.event.bytes (1048576)"));
        bad.add(brokenEvent("an unknown type", "bad-unknown-type", e -> e.put("type", "com.example.unknown"),
                PoisonReason.UNKNOWN_TYPE, null, "no rule for type 'com.example.unknown'"));
        bad.add(brokenEvent("a missing template field", "bad-no-user", e -> ((ObjectNode) e.get("data")).remove("userId"),
                PoisonReason.TEMPLATE_FIELD_MISSING, "session-started", "{data.userId}"));
        bad.add(brokenEvent("a key of the wrong Redis type", "bad-wrongtype", e -> { },
                PoisonReason.WRONG_REDIS_TYPE, "session-started", "WRONGTYPE"));
        return bad;
    }

    /** Headers of the bad record: the dead letter must carry them unchanged, in order, before its own. */
    private static RecordHeaders originalHeaders(int n) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + n + "-01").getBytes(StandardCharsets.UTF_8));
        headers.add("binary", new byte[] {0, (byte) 0xff, (byte) n});
        headers.add("binary", new byte[] {(byte) n}); // a repeated name keeps both values, in order
        return headers;
    }

    @Test
    void shouldDeadLetterEachBadInputOnceUnchangedWithItsCauseAndApplyEveryGoodEventAfterIt() throws Exception {
        List<BadInput> catalogue = catalogue();
        projector.redis().lpush(projector.key("session:{bad-wrongtype}"), "a list, not the hash the rule writes");
        long timestampBase = Instant.now().minusSeconds(3600).toEpochMilli(); // not when anything was sent
        Map<String, ProducerRecord<String, byte[]>> sent = new java.util.HashMap<>();
        Map<String, RecordMetadata> landed = new java.util.HashMap<>();
        for (int i = 0; i < catalogue.size(); i++) {
            BadInput bad = catalogue.get(i);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(projector.topic, null, timestampBase + i,
                    bad.key(), bad.value(), originalHeaders(i));
            sent.put(bad.key(), record);
            landed.put(bad.key(), projector.sendRecord(record));
            projector.send("good-" + i, bytes(event("good-" + i).set("data",
                    JSON.createObjectNode().put("userId", "u-good").put("device", "device-" + i))));
        }
        int records = 2 * catalogue.size();
        projector.awaitProcessed(records);
        projector.awaitCommitted(records);

        for (int i = 0; i < catalogue.size(); i++) {
            assertThat(projector.redis().hget(projector.key("session:{good-" + i + "}"), "device"))
                    .as("the good event after %s", catalogue.get(i).what()).isEqualTo("device-" + i);
        }
        List<ConsumerRecord<String, byte[]>> deadLetters = projector.readDeadLettersToEnd();
        Map<String, Long> timesDeadLettered = deadLetters.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(timesDeadLettered).as("each bad record dead-lettered exactly once, nothing else")
                .isEqualTo(catalogue.stream().collect(Collectors.toMap(BadInput::key, b -> 1L)));
        assertThat(projector.app.metrics().count("dlq")).isEqualTo(catalogue.size());

        for (BadInput bad : catalogue) {
            ConsumerRecord<String, byte[]> dead = deadLetters.stream().filter(r -> r.key().equals(bad.key()))
                    .findFirst().orElseThrow();
            assertDeadLetter(bad, sent.get(bad.key()), landed.get(bad.key()), dead);
        }
    }

    private void assertDeadLetter(BadInput bad, ProducerRecord<String, byte[]> original, RecordMetadata landed,
                                  ConsumerRecord<String, byte[]> dead) {
        String what = bad.what();
        // The original record, byte for byte: key, value, timestamp, and its headers first and in order.
        assertThat(dead.key()).as(what).isEqualTo(original.key());
        assertThat(dead.value().length).as("value length of %s", what).isEqualTo(original.value().length);
        assertThat(Arrays.equals(dead.value(), original.value())).as("value bytes of %s", what).isTrue();
        assertThat(dead.timestamp()).as(what).isEqualTo(original.timestamp());
        Header[] originalHeaders = original.headers().toArray();
        Header[] deadHeaders = dead.headers().toArray();
        assertThat(deadHeaders.length).as(what).isGreaterThan(originalHeaders.length);
        for (int h = 0; h < originalHeaders.length; h++) {
            assertThat(deadHeaders[h].key()).as("header %d of %s", h, what).isEqualTo(originalHeaders[h].key());
            assertThat(deadHeaders[h].value()).as("header %d of %s", h, what).isEqualTo(originalHeaders[h].value());
        }

        // Why, where and by whom: Kafka Streams' own (KIP-1034) headers, then cachep's.
        assertThat(header(dead, DeadLetterHeaders.REASON)).as(what).isEqualTo(bad.reason().name());
        assertThat(header(dead, DeadLetterHeaders.EXCEPTION)).as(what).isEqualTo(PoisonEventException.class.getName());
        assertThat(header(dead, DeadLetterHeaders.TOPIC)).as(what).isEqualTo(projector.topic);
        assertThat(header(dead, DeadLetterHeaders.PARTITION)).as(what).isEqualTo(Integer.toString(landed.partition()));
        assertThat(header(dead, DeadLetterHeaders.OFFSET)).as(what).isEqualTo(Long.toString(landed.offset()));
        assertThat(header(dead, DeadLetterHeaders.ERROR_CLASS)).as(what).isEqualTo(
                bad.reason() == PoisonReason.WRONG_REDIS_TYPE ? "io.lettuce.core.RedisCommandExecutionException"
                        : PoisonEventException.class.getName());
        assertThat(Instant.parse(header(dead, DeadLetterHeaders.FAILED_AT))).as(what)
                .isAfterOrEqualTo(started).isBeforeOrEqualTo(Instant.now());
        assertThat(header(dead, DeadLetterHeaders.APPLICATION_ID)).as(what).isEqualTo(projector.config.applicationId());
        assertThat(header(dead, DeadLetterHeaders.REPLAY_COUNT)).as(what).isEqualTo("0");
        if (bad.rule() == null) {
            assertThat(dead.headers().lastHeader(DeadLetterHeaders.RULE)).as("no rule reached by %s", what).isNull();
        } else {
            assertThat(header(dead, DeadLetterHeaders.RULE)).as(what).isEqualTo(bad.rule());
        }

        // The message says what was wrong, and quotes nothing of the payload.
        String message = header(dead, DeadLetterHeaders.MESSAGE);
        assertThat(message).as(what).contains(bad.names())
                .doesNotContain(PAYLOAD_MARK)
                .doesNotContain("yesterday")
                .doesNotContain("xxxxxxxx")
                .hasSizeLessThan(1000);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
