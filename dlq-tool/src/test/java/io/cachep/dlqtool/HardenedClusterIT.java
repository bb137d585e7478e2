package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.dlqtool.CliRun.Result;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.RedisCluster;
import io.cachep.devstack.RedisServer;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rulesfile.RulesFileLoader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege ACL lines of docs/security.md on a real Redis Cluster (six nodes), with the cluster additions
 * the same page gives: the projector projects every kind of operation with {@code wait.replicas=1}, and
 * {@code verify}, {@code verify --repair --execute}, {@code rebuild --execute} and {@code replay --execute} each run as
 * their own user; Redis ends equal to the model. A missing grant would stop one of them with the line naming it.
 */
@ExtendWith(DevStackExtension.class)
class HardenedClusterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void shouldProjectAndOperateOnAClusterAsLeastPrivilegeAclUsers(DevStack stack, TestIsolation isolation,
                                                                   @TempDir Path dir) throws Exception {
        TestDeployment deployment = TestDeployment.create(stack, isolation, dir, HardenedRedisIT.RULES, 2, 1);
        String namespace = deployment.namespace();
        String clusterGrants = HardenedRedisIT.aclAdditions("cluster");
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults())) {
            for (RedisServer node : cluster.nodes()) {
                createUser(node, HardenedRedisIT.aclLine("projector", namespace, "projector-pw") + " " + clusterGrants);
                createUser(node, HardenedRedisIT.aclLine("operator-read", namespace, "operator-pw") + " " + clusterGrants);
                createUser(node, HardenedRedisIT.aclLine("operator-write", namespace, "repair-pw") + " " + clusterGrants);
            }
            Map<String, String> projectorEnv = asUser(deployment, cluster, "cachep-projector", "projector-pw");
            Map<String, String> readerEnv = asUser(deployment, cluster, "cachep-operator", "operator-pw");
            Map<String, String> repairEnv = asUser(deployment, cluster, "cachep-repair", "repair-pw");

            List<ProducerRecord<byte[], byte[]>> log = HardenedRedisIT.everyOperation(deployment.topic());
            deployment.send(log.toArray(ProducerRecord[]::new));
            List<byte[]> sent = log.stream().map(ProducerRecord::value).toList();

            ProjectorConfig config = new ConfigLoader(projectorEnv).load(Optional.empty(), Map.of());
            ProjectionRules rules = RulesFileLoader.load(config.rulesFile());
            try (ProjectorApp projector = ProjectorApp.create(config, rules)) {
                projector.start();
                Awaitility.await().atMost(DEADLINE).until(() -> HardenedRedisIT.processed(projector) >= sent.size());
                assertThat(projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME)).isZero();
                assertThat(projector.fatalFailure()).isEmpty();
            }

            ProjectorConfig admin = new ConfigLoader(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                    "PROJECTOR_RULES_FILE", config.rulesFile().toString(), "PROJECTOR_REDIS_URI", cluster.uri(),
                    "PROJECTOR_REDIS_CLUSTER", "true")).load(Optional.empty(), Map.of());
            try (RedisTarget redis = RedisTarget.connect(admin.redis(), null)) {
                Map<String, ?> model = HardenedRedisIT.model(deployment.topic(), rules, sent);
                RuleEngine engine = new RuleEngine(rules);
                assertThat(RedisSnapshots.read(redis, engine.layout())).as("written by the projector's ACL user")
                        .isEqualTo(model);

                Result verify = CliRun.run(new VerifyCommand(readerEnv));
                assertThat(verify.exit()).as(verify.both()).isZero();
                assertThat(verify.out()).contains("EQUAL");

                redis.sync().del(namespace + ":session:{s-0}");
                redis.sync().hset(namespace + ":user:{u-1}:profile", "name", "tampered");
                assertThat(CliRun.run(new VerifyCommand(readerEnv)).exit()).isEqualTo(3);
                Result repaired = CliRun.run(new VerifyCommand(repairEnv), "--repair", "--execute");
                assertThat(repaired.exit()).as(repaired.both()).isZero();

                Result rebuilt = CliRun.run(new RebuildCommand(repairEnv), "--namespace", namespace, "--execute");
                assertThat(rebuilt.exit()).as(rebuilt.both()).isZero();
                Result replayed = CliRun.run(new ReplayCommand(repairEnv), "--topic", deployment.topic(),
                        "--from-offset", "0", "--execute");
                assertThat(replayed.exit()).as(replayed.both()).isZero();
                Result after = CliRun.run(new VerifyCommand(readerEnv));
                assertThat(after.exit()).as(after.both()).isZero();
                assertThat(RedisSnapshots.read(redis, engine.layout())).isEqualTo(model);
            }
        }
    }

    /** {@code ACL SETUSER} with a docs line (its leading {@code user} dropped), on one node. */
    private static void createUser(RedisServer node, String line) {
        List<String> words = Arrays.asList(line.substring("user ".length()).split(" +"));
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + node.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER");
            words.forEach(args::add);
            connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
        } finally {
            client.shutdown();
        }
    }

    private static Map<String, String> asUser(TestDeployment deployment, RedisCluster cluster, String user,
                                              String password) {
        Map<String, String> env = new HashMap<>(deployment.env());
        env.put("PROJECTOR_REDIS_URI", cluster.uri().replace("redis://", "redis://" + user + "@"));
        env.put("PROJECTOR_REDIS_PASSWORD", password);
        env.put("PROJECTOR_REDIS_CLUSTER", "true");
        env.put("PROJECTOR_REDIS_WAIT_REPLICAS", "1");
        env.put("PROJECTOR_REDIS_WAIT_TIMEOUT_MS", "500");
        return env;
    }
}
