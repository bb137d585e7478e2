package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bench end to end, small: every run produces its figure, the projector's result equals the reference model of
 * what was produced (a bench that projects wrongly fast proves nothing), the two-instance run shares the partitions,
 * and the client run sees every write's invalidation. The figures themselves are not asserted: speed is the bench's
 * output, not a test's pass mark.
 */
class BenchIT {
    @Test
    void shouldMeasureEveryRunAndEndWithRedisEqualToTheModel() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--events", "20000", "--users", "1000", "--sessions", "1000",
                "--latency-warm-up", "2s", "--latency-duration", "5s", "--latency-rate", "500", "--pause", "10s", "--pause-rate", "500",
                "--client-l1-reads", "100000", "--client-redis-reads", "2000", "--client-writes", "200",
                "--rules-file", "../rules/demo.yaml", "-o", "json");

        assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.path("records").asLong()).isEqualTo(20000);
        for (String rate : new String[] {"redisLimitEventsPerSecond", "kafkaLimitEventsPerSecond",
                "naiveSyncEventsPerSecond", "naiveBatchedEventsPerSecond", "projectorEventsPerSecond",
                "scalingEventsPerSecond"}) {
            assertThat(result.path(rate).asDouble()).as(rate).isPositive();
        }
        assertThat(result.path("ofLimit").asDouble()).isPositive();
        assertThat(result.path("modelEntries").asInt()).isPositive();
        assertThat(result.path("modelDivergences").asInt()).as("entries where Redis differs from the model").isZero();
        assertThat(result.path("outcomes").path("applied").asLong()).isPositive();
        assertThat(result.path("latencySamples").asInt()).isPositive();
        assertThat(result.path("latencyP99Ms").asDouble()).isPositive();
        assertThat(result.path("pausePeakHeapAfterGcBytes").asLong()).isPositive();
        assertThat(result.path("redisMicrosPerEvent").asDouble()).isPositive();
        JsonNode members = result.path("scalingPartitionsByMember");
        assertThat(members.size()).as("members of the two-instance run").isEqualTo(2);
        int partitions = 0;
        for (JsonNode assigned : members) {
            assertThat(assigned.asInt()).as("partitions of each instance").isPositive();
            partitions += assigned.asInt();
        }
        assertThat(partitions).as("every partition of the four demo topics, six each").isEqualTo(24);
        assertThat(result.path("client").path("invalidationsSeen").asLong()).isEqualTo(200);
    }

    /**
     * The client run alone ({@code --runs client}): a redis-server and no broker; every fenced write's invalidation
     * reaches the L1 client, and a read right after it returns the new version.
     */
    @Test
    void shouldMeasureTheClientAloneAndSeeEveryWritesInvalidation() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--runs", "client", "--client-entries", "2000", "--client-l1-reads", "100000",
                "--client-redis-reads", "2000", "--client-writes", "200", "--client-write-rate", "500", "-o", "json");

        assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
        assertThat(err.toString()).doesNotContain("starting devstack").contains("needs no broker");
        JsonNode client = new ObjectMapper().readTree(out.toString()).path("client");
        assertThat(client.path("l1Hits").asLong()).as("L1 hits of the L1 reads").isEqualTo(client.path("l1Reads").asLong());
        assertThat(client.path("l1Hit").path("p50Micros").asDouble()).isPositive();
        assertThat(client.path("redisRead").path("samples").asInt()).isEqualTo(2000);
        assertThat(client.path("hgetall").path("p99Micros").asDouble()).isPositive();
        assertThat(client.path("invalidationsSeen").asLong()).isEqualTo(200);
        assertThat(client.path("olderAfterInvalidation").asLong()).isZero();
        assertThat(client.path("visible").path("samples").asInt()).isEqualTo(200);
    }

    /**
     * Run 4c beside run 4 ({@code --runs projector --redis-cluster}): the projector on a Redis Cluster of three
     * primaries, each of which does part of the work, and the cluster equal to the model too.
     */
    @Test
    void shouldMeasureTheProjectorOnARedisClusterBesideOneServerAndCheckBothAgainstTheModel() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--events", "20000", "--users", "1000", "--sessions", "1000",
                "--runs", "projector", "--redis-cluster", "--rules-file", "../rules/demo.yaml", "-o", "json");

        assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertThat(result.path("projectorEventsPerSecond").asDouble()).isPositive();
        assertThat(result.path("clusterEventsPerSecond").asDouble()).isPositive();
        assertThat(result.path("clusterRedisMicrosPerEvent").asDouble()).isPositive();
        assertThat(result.path("clusterVsSingleNodeRedisMicrosPerEvent").asDouble()).isPositive();
        assertThat(result.path("clusterModelEntries").asInt()).isEqualTo(result.path("modelEntries").asInt()).isPositive();
        assertThat(result.path("clusterModelDivergences").asInt()).as("entries where the cluster differs from the model").isZero();
        int primaries = 0;
        for (JsonNode node : result.path("clusterNodes")) {
            assertThat(node.path("keys").asLong()).as("keys on %s", node.path("address")).isPositive();
            if (node.path("role").asText().equals("primary")) {
                primaries++;
                assertThat(node.path("redisMicrosPerEvent").asDouble()).as("work on %s", node.path("address")).isPositive();
            }
        }
        assertThat(primaries).isEqualTo(3);
        assertThat(result.has("latencyRuns")).as("no live runs were asked for").isFalse();
    }
}
