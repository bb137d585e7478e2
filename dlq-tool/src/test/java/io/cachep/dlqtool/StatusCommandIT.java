package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.dlq.DlqListCommand;
import io.cachep.projector.ProjectorApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} against a real broker and projector: before any projector ran, while one runs (its member, its
 * partitions, lag 0 once caught up, the DLQ it filled) and after it stopped. Also {@code dlq list} on the DLQ a real
 * projector wrote: the original topic-partition@offset it shows is where the producer's records landed.
 */
@ExtendWith(DevStackExtension.class)
class StatusCommandIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void shouldSayNoProjectorHasRunAndCountTheWholeLogAsLag(DevStack stack, TestIsolation isolation,
                                                            @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 2, 1);
        deployment.send(deployment.event("started", "s-0", "{\"device\":\"ios\"}"),
                deployment.event("started", "s-1", "{\"device\":\"ios\"}"),
                deployment.event("started", "s-2", "{\"device\":\"web\"}"));

        Result text = CliRun.run(new StatusCommand(deployment.env()));

        assertThat(text.exit()).as(text.both()).isZero();
        assertThat(text.out()).contains("projector group " + deployment.applicationId() + ": not found")
                .containsPattern(deployment.topic() + "\\s+0\\s+-\\s+\\d+\\s+\\d+\\s+-")
                .containsPattern(deployment.topic() + "\\s+1\\s+-\\s+\\d+\\s+\\d+\\s+-")
                .contains("total lag: 3 records (no offsets committed yet: a projector starts at the beginning of the log)")
                .containsPattern(deployment.dlq() + "\\s+0\\s+0\\s+-\\s+-");

        JsonNode json = CliRun.run(new StatusCommand(deployment.env()), "-o", "json").json();
        assertThat(json.get("group").get("members")).isEmpty();
        assertThat(json.get("totalLag").asInt()).isEqualTo(3);
        assertThat(json.get("partitions")).hasSize(2).allMatch(p -> p.get("committed").isNull());
        assertThat(json.get("dlq").get("records").asInt()).isZero();
        assertThat(json.get("dlq").get("oldestFailedAt").isNull()).isTrue();
    }

    @Test
    void shouldReportTopicsThatDoNotExistInsteadOfFailing(DevStack stack, TestIsolation isolation,
                                                          @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 1, 1);
        String missing = deployment.topic() + "-missing";
        deployment.writeRules(TestDeployment.SESSION_RULES.replace("${topic}", missing));

        Result status = CliRun.run(new StatusCommand(deployment.env("PROJECTOR_DLQ_TOPIC", deployment.dlq() + "-missing")));

        assertThat(status.exit()).as(status.both()).isZero();
        assertThat(status.out()).contains("DLQ topic " + deployment.dlq() + "-missing does not exist")
                .contains("total lag: 0 records");
        assertThat(status.err()).contains("warning: topic " + missing + " (read by the rules) does not exist");
    }

    @Test
    void shouldShowTheRunningProjectorItsLagAndItsDlqThenNoMembersOnceItStopped(DevStack stack, TestIsolation isolation,
                                                                                @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 2, 1);
        List<RecordMetadata> sent = deployment.send(
                deployment.event("started", "s-0", "{\"device\":\"ios\"}"),
                deployment.event("started", "s-1", "{\"device\":\"web\"}"),
                deployment.event("started", "s-2", "{\"device\":\"ios\"}"),
                deployment.event("renamed", "u-0", "{\"name\":\"a\"}"),
                deployment.event("renamed", "u-1", "{\"name\":\"b\"}"));

        try (ProjectorApp projector = deployment.projector()) {
            projector.start();
            Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode status = CliRun.run(new StatusCommand(deployment.env()), "-o", "json").json();
                return status.get("group").get("members").size() == 1 && status.get("totalLag").asInt() == 0
                        && status.get("dlq").get("records").asInt() == 2;
            });

            JsonNode json = CliRun.run(new StatusCommand(deployment.env()), "-o", "json").json();
            JsonNode member = json.get("group").get("members").get(0);
            assertThat(member.get("clientId").asText()).startsWith(deployment.applicationId());
            assertThat(member.get("partitions")).extracting(JsonNode::asText)
                    .containsExactly(deployment.topic() + "-0", deployment.topic() + "-1");
            Map<Integer, Long> ends = new TreeMap<>();
            sent.forEach(m -> ends.merge(m.partition(), m.offset() + 1, Math::max));
            for (JsonNode partition : json.get("partitions")) {
                assertThat(partition.get("logEnd").asLong()).isEqualTo(ends.getOrDefault(partition.get("partition").asInt(), 0L));
                assertThat(partition.get("lag").asLong()).isZero();
                assertThat(partition.get("memberId").asText()).isEqualTo(member.get("memberId").asText());
            }
            assertThat(json.get("dlq").get("pending").asInt()).isEqualTo(2);
            assertThat(json.get("dlq").get("oldestAgeSeconds").asLong()).isBetween(0L, DEADLINE.toSeconds());

            Result text = CliRun.run(new StatusCommand(deployment.env()));
            assertThat(text.exit()).as(text.both()).isZero();
            assertThat(text.out()).contains(": Stable, 1 live member(s)")
                    .contains(deployment.topic() + ": 0,1")
                    .containsPattern("#1\\s+" + deployment.applicationId() + "\\S+\\s+" + deployment.applicationId())
                    .contains("total lag: 0 records\n")
                    .containsPattern(ends.entrySet().stream().map(e -> deployment.topic() + "\\s+" + e.getKey() + "\\s+"
                            + e.getValue() + "\\s+" + e.getValue() + "\\s+0\\s+#1").collect(Collectors.joining("[\\s\\S]*")))
                    .containsPattern(deployment.dlq() + "\\s+2\\s+2\\s+\\d+s ago\\s+\\d+s ago");

            // The DLQ a real projector wrote: each dead letter names where its record was read.
            List<JsonNode> dead = CliRun.run(new DlqListCommand(deployment.env()), "-o", "json").jsonLines();
            Set<String> origins = dead.stream().map(d -> d.get("sourceTopic").asText() + "-" + d.get("sourcePartition").asInt()
                    + "@" + d.get("sourceOffset").asLong()).collect(Collectors.toSet());
            Set<String> produced = sent.subList(3, 5).stream().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                    .collect(Collectors.toSet());
            assertThat(origins).isEqualTo(produced);
            assertThat(dead).allMatch(d -> d.get("reason").asText().equals("UNKNOWN_TYPE") && d.get("type").asText().equals("renamed"));
            assertThat(dead).extracting(d -> d.get("key").asText()).containsExactlyInAnyOrder("u-0", "u-1");
        }

        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                CliRun.run(new StatusCommand(deployment.env()), "-o", "json").json().get("group").get("members").isEmpty());
        Result stopped = CliRun.run(new StatusCommand(deployment.env()));
        assertThat(stopped.out()).contains("projector group " + deployment.applicationId()
                + ": Empty, no live members (no projector is running)").contains("total lag: 0 records\n");
    }
}
