package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.apply.RedisTarget;
import io.cachep.config.ConfigLoader;
import io.cachep.config.ProjectorConfig;
import io.cachep.devstack.RedisCluster;
import io.cachep.producer.DemoProducer;
import io.cachep.projector.topology.ProjectionMetrics;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.ProjectionRules;
import io.cachep.rulesfile.RulesFileLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's closing report on a Redis Cluster: it counts the entries of every primary, not of the one it reached. */
class DemoReportIT {
    private static final Path RULES = Path.of("..", "rules", "demo.yaml");

    @Test
    void shouldCountTheEntriesOfEveryPrimary() throws Exception {
        ProjectionRules rules = RulesFileLoader.load(RULES);
        KeyLayout layout = new KeyLayout(rules.namespace());
        try (RedisCluster cluster = RedisCluster.start(RedisCluster.Options.defaults())) {
            ProjectorConfig config = new ConfigLoader(Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "unused:9092",
                    "PROJECTOR_RULES_FILE", RULES.toString(), "PROJECTOR_REDIS_URI", cluster.uri(),
                    "PROJECTOR_REDIS_CLUSTER", "true")).load(Optional.empty(), Map.of());
            try (RedisTarget redis = RedisTarget.connect(config.redis(), null)) {
                for (int i = 0; i < 30; i++) { // thirty hash tags: every primary holds some
                    redis.sync().hset(layout.entry("session:{s-" + i + "}").data(), "device", "ios");
                    redis.sync().hset(layout.entry("session:{s-" + i + "}").fence(), "v", "1");
                }
                assertThat(redis.primariesWithSlotsNow()).hasSize(3).allSatisfy(primary ->
                        assertThat(primary.commands().keys(layout.scanPattern())).isNotEmpty());
            }

            String report = new DemoReport(new DemoProducer.Summary(Map.of("event", 30L), Duration.ofSeconds(1)),
                    new ProjectionMetrics(new SimpleMeterRegistry(), Map.of()), config.redis(), rules).render();

            assertThat(report).containsPattern("entries\\s*\\|?\\s*30\\b")
                    .containsPattern("metadata \\(fences, tombstones, tag indexes\\)\\s*\\|?\\s*30\\b")
                    .contains("demo:session:{s-");
        }
    }
}
