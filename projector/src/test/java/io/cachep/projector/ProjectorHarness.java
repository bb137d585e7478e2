package io.cachep.projector;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.envelope.CloudEventJsonParser;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.cachep.apply.RedisTarget;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real projector (the same {@link ProjectorApp} main runs) on the shared devstack, with this test's own topics,
 * application id and Redis namespace. Rules are given as YAML in which {@code ${topic}} and {@code ${namespace}}
 * stand for the test's names.
 */
final class ProjectorHarness implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    final DevStack stack;
    final String topic;
    final String dlqTopic;
    final String namespace;
    final ProjectorConfig config;
    final ProjectionRules rules;
    final ProjectorApp app;
    private final RedisTarget redisConnection;
    private final KafkaProducer<String, byte[]> producer;

    ProjectorHarness(DevStack stack, TestIsolation isolation, String rulesYaml) throws IOException {
        this(stack, isolation, rulesYaml, stack.redisUri(), 3, Map.of());
    }

    /** @param overrides configuration keys to set on top of the test's own (e.g. a commit interval) */
    ProjectorHarness(DevStack stack, TestIsolation isolation, String rulesYaml, String redisUri, int partitions,
                     Map<String, String> overrides) throws IOException {
        this(stack, isolation, rulesYaml, redisUri, partitions, overrides, Map.of(), Map.of());
    }

    /**
     * @param topicConfigs    topic configs for both the test's topic and its dead-letter topic (e.g. a larger
     *                        {@code max.message.bytes})
     * @param producerConfigs settings for the test's producer on top of its own (e.g. {@code max.request.size})
     */
    ProjectorHarness(DevStack stack, TestIsolation isolation, String rulesYaml, String redisUri, int partitions,
                     Map<String, String> overrides, Map<String, String> topicConfigs,
                     Map<String, Object> producerConfigs) throws IOException {
        this.stack = stack;
        this.topic = isolation.topic("session-events");
        this.dlqTopic = isolation.topic("dlq");
        this.namespace = isolation.keyPrefix();
        Path rulesFile = Files.createTempFile("rules-", ".yaml");
        Files.writeString(rulesFile, rulesYaml.replace("${topic}", topic).replace("${namespace}", namespace));
        rulesFile.toFile().deleteOnExit();
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                ProjectorConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProjectorConfig.REDIS_URI_CONFIG, redisUri,
                ProjectorConfig.RULES_FILE_CONFIG, rulesFile.toString(),
                ProjectorConfig.APPLICATION_ID_CONFIG, isolation.applicationId(),
                ProjectorConfig.DLQ_TOPIC_CONFIG, dlqTopic,
                ProjectorConfig.HTTP_PORT_CONFIG, "0"));
        settings.putAll(overrides);
        config = new ConfigLoader(Map.of()).load(Optional.empty(), settings);
        TopicSetup.apply(config.kafkaClientProperties(), List.of(
                new TopicSpec(topic, partitions, (short) 1, topicConfigs),
                new TopicSpec(dlqTopic, 1, (short) 1, topicConfigs)));
        rules = RulesFileLoader.load(rulesFile);
        app = ProjectorApp.create(config, rules);
        redisConnection = RedisTarget.connect(config.redis(), null); // a single server or a cluster, as configured
        Map<String, Object> producerSettings = new java.util.HashMap<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(), "acks", "all"));
        producerSettings.putAll(producerConfigs);
        producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer());
    }

    ProjectorHarness start() {
        app.start();
        return this;
    }

    RedisClusterCommands<String, String> redis() {
        return redisConnection.sync();
    }

    /** The test's own connection to the projector's Redis, a single server or a cluster. */
    RedisTarget redisTarget() {
        return redisConnection;
    }

    String key(String rendered) {
        return namespace + ":" + rendered;
    }

    /** Sends records in order, each acknowledged by the broker before the next is sent. */
    void send(String key, byte[]... values) throws Exception {
        for (byte[] value : values) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Sends one record as given (headers, timestamp, partition), acknowledged by the broker; where it landed. */
    RecordMetadata sendRecord(ProducerRecord<String, byte[]> record) throws Exception {
        return producer.send(record).get();
    }

    /**
     * Waits until the projector has processed {@code n} events in all, whatever their outcome. When it does not, the
     * failure says what was counted and where the projector's threads stood, since a hang is otherwise silent.
     */
    void awaitProcessed(long n) {
        try {
            Awaitility.await().atMost(DEADLINE).until(() -> processed() >= n);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("processed " + processed() + " of " + n + " events within " + DEADLINE.toSeconds()
                    + " s (applied " + app.metrics().count("applied") + ", dlq " + app.metrics().count("dlq")
                    + "); the projector's threads:\n" + threadsOf(config.applicationId()), e);
        }
    }

    /** The stacks of this JVM's threads whose names contain {@code name} (Kafka Streams names its threads so). */
    static String threadsOf(String name) {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains(name) || thread.getName().startsWith("kafka-producer-network-thread")
                    || thread.getName().startsWith("lettuce")) {
                dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("    at ").append(frame).append('\n');
                }
            }
        });
        return dump.toString();
    }

    /** What Redis should hold after these event values of this harness's topic: the reference projection of them. */
    Map<String, EntrySnapshot> model(List<byte[]> sent) {
        CloudEventJsonParser parser = new CloudEventJsonParser();
        List<LoggedEvent> log = new ArrayList<>();
        sent.forEach(value -> log.add(new LoggedEvent(topic, parser.parse(null, value))));
        return new ReferenceProjection(new RuleEngine(rules)).project(log, Instant.now().toEpochMilli());
    }

    /**
     * How Redis differs from the model of these event values, as {@code dlq-tool verify} judges it (an expiry a slot
     * migration shifted by a millisecond is the same): empty when equal.
     */
    java.util.List<io.cachep.rules.reference.Divergence> divergenceFromModel(List<byte[]> sent) {
        return io.cachep.rules.reference.Divergence.between(model(sent),
                io.cachep.apply.RedisSnapshots.read(redisConnection, new RuleEngine(rules).layout()));
    }

    /** GET /ready, as a load balancer asks it. */
    HttpResponse<String> ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.httpPort() + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The value of one of the projector's gauges. */
    double gauge(String name) {
        return app.registry().get(name).gauge().value();
    }

    long processed() {
        return app.metrics().count("applied") + app.metrics().count("duplicate") + app.metrics().count("stale")
                + app.metrics().count("expired") + app.metrics().count("dlq");
    }

    /** Reads the dead-letter topic from its start until {@code n} records have arrived. */
    List<ConsumerRecord<String, byte[]>> awaitDeadLetters(int n) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers(), "group.id", dlqTopic + "-reader",
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dlqTopic));
            Awaitility.await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= n;
            });
        }
        return records;
    }

    /**
     * Every record on the dead-letter topic, from its start to its end as of now. Call it once the projector has
     * committed past the records of interest: their dead letters are acknowledged before the commit, so they are all
     * here, and a record dead-lettered twice would show twice.
     */
    List<ConsumerRecord<String, byte[]>> readDeadLettersToEnd() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", stack.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Awaitility.await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    /**
     * Waits until the projector's consumer group has committed {@code records} records of the test's topic (its
     * partitions' committed offsets add up to at least that).
     */
    void awaitCommitted(long records) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            Awaitility.await().atMost(DEADLINE).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.applicationId())
                        .partitionsToOffsetAndMetadata().get();
                long total = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                return total >= records;
            });
        }
    }

    @Override
    public void close() {
        producer.close();
        app.close();
        redisConnection.close();
    }
}
