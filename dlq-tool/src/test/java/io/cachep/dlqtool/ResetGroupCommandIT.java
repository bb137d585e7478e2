package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.rulesfile.RulesFileLoader;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code reset-group} refuses while the projector runs, and moves the group once it has stopped. */
@ExtendWith(DevStackExtension.class)
class ResetGroupCommandIT {

    @Test
    void shouldRefuseWhileTheProjectorRunsAndMoveTheGroupOnceItStopped(DevStack stack, TestIsolation isolation,
                                                                      @TempDir Path dir) throws Exception {
        String topic = isolation.topic("events");
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()), List.of(
                new TopicSpec(topic, 1, (short) 1, Map.of()), new TopicSpec(isolation.topic("dlq"), 1, (short) 1, Map.of())));
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                namespace: %s
                rules:
                  - name: started
                    topic: %s
                    type: started
                    mutations:
                      - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
                """.formatted(isolation.keyPrefix(), topic));
        Map<String, String> env = Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "PROJECTOR_REDIS_URI", stack.redisUri(), "PROJECTOR_RULES_FILE", rules.toString(),
                "PROJECTOR_APPLICATION_ID", isolation.applicationId(), "PROJECTOR_DLQ_TOPIC", isolation.topic("dlq"),
                "PROJECTOR_HTTP_PORT", "0", "PROJECTOR_KAFKA_COMMIT_INTERVAL_MS", "100");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, "s-" + i, ("{\"specversion\":\"1.0\",\"id\":\"e" + i
                        + "\",\"type\":\"started\",\"source\":\"/t\",\"subject\":\"s-" + i + "\",\"time\":\"" + Instant.now()
                        + "\",\"entityversion\":1,\"data\":{\"device\":\"ios\"}}").getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        ProjectorConfig config = new ConfigLoader(env).load(Optional.empty(), Map.of());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()))) {
            try (ProjectorApp projector = ProjectorApp.create(config, RulesFileLoader.load(rules))) {
                projector.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, isolation, partition) == 5);
                Result refused = run(env, "--to-earliest", "--execute");
                assertThat(refused.exit()).isEqualTo(1);
                assertThat(refused.err()).contains("refusing: group " + isolation.applicationId()).contains("live member");
            }
            Result dryRun = run(env, "--to-earliest");
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("dry run").containsPattern(topic + "\\s+0\\s+5\\s+0");
            assertThat(committed(admin, isolation, partition)).isEqualTo(5);

            Result reset = run(env, "--to-earliest", "--execute");
            assertThat(reset.exit()).as(reset.err()).isZero();
            assertThat(committed(admin, isolation, partition)).isZero();
        }
    }

    private static long committed(Admin admin, TestIsolation isolation, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(isolation.applicationId())
                .partitionsToOffsetAndMetadata().get().get(partition);
        return offset == null ? -1 : offset.offset();
    }

    record Result(int exit, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ErrorHandler.configure(new CommandLine(new ResetGroupCommand(env)));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }
}
