package io.cachep.client;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.producer.DemoProducer;
import io.cachep.producer.scenario.DemoEvent;
import io.cachep.projector.ProjectorApp;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.ProducerSettings;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.cachep.topics.TopicSpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The demo's rules running in a real projector on the shared broker and redis-server, under the test's own namespace
 * and topics, with a producer to feed it: what a service's reads through {@link CachepClient} sit behind.
 */
final class LiveProjector implements AutoCloseable {
    static final List<String> TOPICS = List.of("session-events", "profile-events", "room-events", "tenant-events");

    private final TestIsolation isolation;
    private final String namespace;
    private final ProjectorApp projector;
    private final KafkaProducer<String, byte[]> producer;
    private long sent;

    LiveProjector(DevStack stack, TestIsolation isolation, Path dir) throws Exception {
        this(stack, isolation, dir, isolation.keyPrefix());
    }

    /** With the namespace given, e.g. the demo's own {@code demo} (only one test per JVM may use it). */
    LiveProjector(DevStack stack, TestIsolation isolation, Path dir, String namespace) throws Exception {
        this.isolation = isolation;
        this.namespace = namespace;
        String rulesText = Files.readString(Path.of("..", "rules", "demo.yaml"))
                .replace("namespace: demo", "namespace: " + namespace);
        for (String topic : TOPICS) {
            rulesText = rulesText.replace("topic: " + topic, "topic: " + isolation.topic(topic));
        }
        Path rulesFile = Files.writeString(dir.resolve("rules.yaml"), rulesText);
        ProjectionRules rules = RulesFileLoader.load(rulesFile);
        // The repository's topic configs: the demo's too-large poison needs their max.message.bytes.
        Map<String, TopicSpec> specs = TopicSpecLoader.load(Path.of("..", "topics")).stream()
                .collect(Collectors.toMap(TopicSpec::name, spec -> spec));
        List<TopicSpec> topics = new ArrayList<>();
        TOPICS.forEach(t -> topics.add(new TopicSpec(isolation.topic(t), 3, (short) 1, specs.get(t).configs())));
        topics.add(new TopicSpec(isolation.topic("dlq"), 1, (short) 1, specs.get("cachep-dlq").configs()));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), topics);
        ProjectorConfig config = new ConfigLoader(Map.of()).load(Optional.empty(), Map.of(
                ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProjectorConfig.REDIS_URI_CONFIG, stack.redisUri(),
                ProjectorConfig.RULES_FILE_CONFIG, rulesFile.toString(),
                ProjectorConfig.APPLICATION_ID_CONFIG, isolation.applicationId(),
                ProjectorConfig.DLQ_TOPIC_CONFIG, isolation.topic("dlq"),
                ProjectorConfig.HTTP_PORT_CONFIG, "0"));
        Map<String, Object> producerConfig = new HashMap<>(ProducerSettings.lossless());
        producerConfig.put("bootstrap.servers", stack.bootstrapServers());
        producerConfig.put("max.request.size", DemoProducer.MAX_REQUEST_BYTES);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.projector = ProjectorApp.create(config, rules);
        projector.start();
    }

    /** The namespace the client reads. */
    String namespace() {
        return namespace;
    }

    /** Sends one of the demo's events to this test's copy of its topic. */
    void send(DemoEvent event) {
        producer.send(new ProducerRecord<>(isolation.topic(event.topic()), event.key(), event.value()));
        sent++;
    }

    /** Sends a structured CloudEvent of the demo's rules, with the given version, and returns nothing. */
    void send(String topic, String type, String subject, long version, String dataJson) {
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\"" + type
                + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + java.time.Instant.now()
                + "\",\"entityversion\":" + version + ",\"data\":" + dataJson + "}";
        send(new DemoEvent(topic, subject, event.getBytes(java.nio.charset.StandardCharsets.UTF_8), type));
    }

    /** Waits until the projector has finished with every event sent (written, fenced off or dead-lettered). */
    void awaitCaughtUp(Duration timeout) {
        producer.flush();
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (projector.fatalFailure().isPresent()) {
                throw new AssertionError("the projector failed", projector.fatalFailure().get());
            }
            return projector.metrics().finished() >= sent;
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        projector.close();
    }
}
