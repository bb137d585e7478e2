package io.cachep.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import io.cachep.topics.TopicSpecLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** producer-demo's command line against a real broker: what it reports is what landed on the topic. */
@ExtendWith(DevStackExtension.class)
class ProducerDemoMainIT {

    @Test
    void shouldSendKeyedSessionEventsAndReportWhatItSent(DevStack stack) throws Exception {
        // The scenario writes to session-events; this test owns no other topic of that name on the shared broker.
        // Its configs are the repository's: the too-large poison needs their max.message.bytes.
        TopicSpec repoSpec = TopicSpecLoader.load(Path.of("..", "topics")).stream()
                .filter(spec -> spec.name().equals("session-events")).findFirst().orElseThrow();
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()),
                List.of(new TopicSpec("session-events", 3, (short) 1, repoSpec.configs())));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ProducerDemoMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute("--bootstrap-servers", stack.bootstrapServers(), "--rate", "200", "--duration", "2s",
                "--poison", "0.05", "--seed", "3", "-o", "json");

        assertThat(exit).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        long total = report.get("total").asLong();
        assertThat(total).isGreaterThan(300);
        assertThat(report.get("byKind").get("com.example.session.started").asLong()).isPositive();

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "group.id", "producer-demo-it", "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("session-events"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= total;
            });
        }
        assertThat(records).hasSize((int) total);
        long poison = records.stream().filter(r -> r.key().startsWith("poison-")).count();
        assertThat(poison).isEqualTo(report.get("byKind").properties().stream()
                .filter(e -> e.getKey().startsWith("poison:")).mapToLong(e -> e.getValue().asLong()).sum());
        // With this seed the rotation reaches the too-large kind: a record over 1 MiB leaves the producer and the topic takes it.
        assertThat(report.get("byKind").path("poison:too-large").asLong()).isPositive();
        assertThat(records).anySatisfy(r -> assertThat(r.value().length).isGreaterThan(1024 * 1024));
    }
}
