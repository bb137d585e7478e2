package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.dlqtool.dlq.DlqPurgeCommand;
import io.cachep.dlqtool.dlq.DlqReplayCommand;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DLQ round trip through a real broker, projector and redis-server: events of a type no rule knows land in the
 * DLQ; the rule is added; a dry run changes nothing; {@code dlq replay --execute} puts them back and the projector
 * applies them; a second replay finds nothing to do.
 */
@ExtendWith(DevStackExtension.class)
class DlqReplayIT {
    private static final String RENAMED_RULE = """
              - name: renamed
                topic: ${topic}
                type: renamed
                mutations:
                  - upsert: { key: "name:{subject}", hash: { name: "{data.name}" } }
            """;

    @Test
    void shouldReplayDeadLettersOnceTheirRuleExistsAndNeverTwice(DevStack stack, TestIsolation isolation,
                                                                 @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 2, 1);
        String namespace = deployment.namespace();
        Map<String, String> env = deployment.env();
        deployment.send(deployment.event("renamed", "u-0", "{\"name\":\"n0\"}"),
                deployment.event("renamed", "u-1", "{\"name\":\"n1\"}"),
                deployment.event("renamed", "u-2", "{\"name\":\"n2\"}"),
                deployment.event("started", "s-1", "{\"device\":\"ios\"}"));
        try (ProjectorApp first = deployment.projector()) {
            first.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().count(ProjectionMetrics.DLQ_OUTCOME) == 3
                    && first.metrics().count("applied") == 1);
        }

        deployment.writeRules(TestDeployment.SESSION_RULES + RENAMED_RULE);
        RedisClient client = RedisClient.create(stack.redisUri());
        try (ProjectorApp second = deployment.projector(); StatefulRedisConnection<String, String> redis = client.connect()) {
            second.start();

            Result dryRun = CliRun.run(new DlqReplayCommand(env));
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("would replay").contains("dry run: nothing sent").contains("UNKNOWN_TYPE");
            assertThat(redis.sync().exists(namespace + ":name:{u-0}")).isZero();

            Result replay = CliRun.run(new DlqReplayCommand(env), "--execute");
            assertThat(replay.exit()).as(replay.err()).isZero();
            assertThat(replay.out()).containsPattern("replayed\\s+3");
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> redis.sync().hget(namespace + ":name:{u-2}", "name") != null);
            assertThat(redis.sync().hget(namespace + ":name:{u-0}", "name")).isEqualTo("n0");

            Result again = CliRun.run(new DlqReplayCommand(env), "--execute");
            assertThat(again.out()).containsPattern("replayed\\s+0");

            Result purge = CliRun.run(new DlqPurgeCommand(env));
            assertThat(purge.out()).containsPattern("would purge\\s+0");
        } finally {
            client.shutdown();
        }
    }

    /** A letter that cannot be written (its topic was deleted) fails the run, and the next run still offers it. */
    @Test
    void shouldNotAdvancePastDeadLettersItCouldNotWrite(DevStack stack, TestIsolation isolation, @TempDir Path dir)
            throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 1, 1);
        deployment.send(deployment.event("renamed", "u-0", "{\"name\":\"n0\"}"),
                deployment.event("renamed", "u-1", "{\"name\":\"n1\"}"));
        try (ProjectorApp projector = deployment.projector()) {
            projector.start();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME) == 2);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.deleteTopics(List.of(deployment.topic())).all().get();
        }
        // The producer waits this long for a topic that does not exist before it gives the record up.
        Map<String, String> env = deployment.env("PROJECTOR_KAFKA_MAX_BLOCK_MS", "2000");

        Result replay = CliRun.run(new DlqReplayCommand(env), "--execute");
        assertThat(replay.exit()).as(replay.out()).isEqualTo(ExitCodes.FAILED);
        assertThat(replay.err()).contains("2 of 2 dead letters could not be written")
                .contains("the replay group was not advanced");

        Result again = CliRun.run(new DlqReplayCommand(env));
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).as("the letters are still pending").containsPattern("would replay\\s+2");
    }

    @Test
    void shouldRefuseAnUnknownReasonAsAUsageError(DevStack stack) {
        Result result = CliRun.run(new DlqReplayCommand(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers())),
                "--reason", "BAD_MOOD");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--reason BAD_MOOD is not one of");
    }
}
