package io.cachep.dlqtool;

import io.cachep.apply.RedisTarget;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's deployment on the shared devstack, as an operator would configure it: its own event topic, DLQ,
 * namespace and application id, a rules file, and the {@code PROJECTOR_*} environment that points the projector and
 * dlq-tool at them.
 */
public final class TestDeployment {
    /** One rule: events of type {@code started} upsert {@code session:{subject}}; any other type is dead-lettered. */
    public static final String SESSION_RULES = """
            namespace: ${namespace}
            rules:
              - name: started
                topic: ${topic}
                type: started
                mutations:
                  - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
            """;

    private final DevStack stack;
    private final String topic;
    private final String dlq;
    private final String namespace;
    private final Path rules;
    private final Map<String, String> env;

    private TestDeployment(DevStack stack, String topic, String dlq, String namespace, Path rules, Map<String, String> env) {
        this.stack = stack;
        this.topic = topic;
        this.dlq = dlq;
        this.namespace = namespace;
        this.rules = rules;
        this.env = env;
    }

    /**
     * Creates the topics and writes the rules file; {@code rulesTemplate} may use {@code ${namespace}} and
     * {@code ${topic}}.
     */
    public static TestDeployment create(DevStack stack, TestIsolation isolation, Path dir, String rulesTemplate,
                                        int topicPartitions, int dlqPartitions) throws Exception {
        String topic = isolation.topic("events");
        String dlq = isolation.topic("dlq");
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(
                new TopicSpec(topic, topicPartitions, (short) 1, Map.of()), new TopicSpec(dlq, dlqPartitions, (short) 1, Map.of())));
        Path rules = dir.resolve("rules.yaml");
        TestDeployment deployment = new TestDeployment(stack, topic, dlq, isolation.keyPrefix(), rules, Map.of(
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "PROJECTOR_REDIS_URI", stack.redisUri(),
                "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_APPLICATION_ID", isolation.applicationId(),
                "PROJECTOR_DLQ_TOPIC", dlq, "PROJECTOR_HTTP_PORT", "0", "PROJECTOR_KAFKA_COMMIT_INTERVAL_MS", "100"));
        deployment.writeRules(rulesTemplate);
        return deployment;
    }

    /**
     * The same deployment on a Redis Cluster instead of devstack's single server: the projector and every dlq-tool
     * command of it then run with {@code PROJECTOR_REDIS_CLUSTER=true} and the cluster's seed list.
     */
    public TestDeployment onCluster(String seedUri) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put("PROJECTOR_REDIS_URI", seedUri);
        changed.put("PROJECTOR_REDIS_CLUSTER", "true");
        return new TestDeployment(stack, topic, dlq, namespace, rules, Map.copyOf(changed));
    }

    /** The same deployment on a Redis of the test's own (one it may pause, stop or restart). */
    public TestDeployment onRedis(String redisUri) {
        Map<String, String> changed = new HashMap<>(env);
        changed.put("PROJECTOR_REDIS_URI", redisUri);
        return new TestDeployment(stack, topic, dlq, namespace, rules, Map.copyOf(changed));
    }

    /** A connection to this deployment's Redis as configured (a single server or a cluster); the caller closes it. */
    public RedisTarget redis() throws Exception {
        return RedisTarget.connect(new ConfigLoader(env).load(Optional.empty(), Map.of()).redis(), null);
    }

    /** Replaces the rules file (a projector started afterwards reads the new one). */
    public void writeRules(String rulesTemplate) throws Exception {
        Files.writeString(rules, rulesTemplate.replace("${namespace}", namespace).replace("${topic}", topic));
    }

    public String topic() {
        return topic;
    }

    public String dlq() {
        return dlq;
    }

    public String namespace() {
        return namespace;
    }

    public String applicationId() {
        return env.get("PROJECTOR_APPLICATION_ID");
    }

    /** The environment a projector or dlq-tool of this deployment runs with. */
    public Map<String, String> env() {
        return env;
    }

    /** The environment with some variables changed. */
    public Map<String, String> env(String... keyValues) {
        Map<String, String> changed = new HashMap<>(env);
        for (int i = 0; i < keyValues.length; i += 2) {
            changed.put(keyValues[i], keyValues[i + 1]);
        }
        return changed;
    }

    /** A projector for this deployment, not yet started; the caller closes it. */
    public ProjectorApp projector() throws Exception {
        return projector(new String[0]);
    }

    /** A projector for this deployment with some variables changed, not yet started; the caller closes it. */
    public ProjectorApp projector(String... keyValues) throws Exception {
        ProjectorConfig config = new ConfigLoader(env(keyValues)).load(Optional.empty(), Map.of());
        return ProjectorApp.create(config, RulesFileLoader.load(config.rulesFile()));
    }

    /** Sends the records, each acknowledged before the next, and says where each landed. */
    @SafeVarargs
    public final List<RecordMetadata> send(ProducerRecord<byte[], byte[]>... records) throws Exception {
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record).get());
            }
        }
        return sent;
    }

    /** An event for the event topic, keyed by its subject. */
    public ProducerRecord<byte[], byte[]> event(String type, String subject, String data) {
        return new ProducerRecord<>(topic, subject.getBytes(StandardCharsets.UTF_8), event(type, subject, data, Instant.now()));
    }

    /** The JSON bytes of a structured-mode CloudEvent at {@code time}, entity version 1. */
    public static byte[] event(String type, String subject, String data, Instant time) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + type + "-" + subject + "\",\"type\":\"" + type
                + "\",\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + time
                + "\",\"entityversion\":1,\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
