package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cachep.bench.RedisNodes.Role;
import io.cachep.bench.RedisNodes.Use;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Run 4c (the projector on a Redis Cluster) beside run 4, and run 8 (cachep-client) alone or beside the others, in the
 * report, for people and for scripts.
 */
class BenchReportTest {
    private static final long EVENTS = 100_000;

    /** A server that spent {@code cpuSeconds} of its main thread on {@code calls} function calls. */
    private static RedisStats used(double cpuSeconds, long calls) {
        return new RedisStats(cpuSeconds, cpuSeconds / 4, calls, calls * 5, Map.of("fcall", calls));
    }

    private static ProjectorRun.Result run(double seconds, List<Use> nodes, Map<String, Double> cores) {
        return new ProjectorRun.Result(new Throughput("projector", EVENTS, seconds), RedisNodes.primariesTotal(nodes),
                nodes, cores, 0, 0, seconds + 1, Map.of("applied", EVENTS), Map.of(), null);
    }

    private static BenchResults results() {
        BenchResults r = new BenchResults();
        r.workload = new Workload(EVENTS, 1000, 1000, 0.05, 0.05, 42);
        r.loaded = new Preloader.Loaded(EVENTS, 5000, EVENTS * 300, Duration.ofSeconds(2));
        r.partitions = 6;
        r.environment = new LinkedHashMap<>();
        // Run 4: one server, 2.0 s of Redis CPU: 20 µs per event.
        r.projector = run(4.0, List.of(new Use("127.0.0.1:7000", Role.primary, used(2.0, 2000), 50_000)),
                Map.of("projector (1 JVM)", 0.5));
        r.modelEntries = 40_000;
        r.modelDivergences = List.of();
        // Run 4c: three primaries, 1.0 + 0.7 + 0.5 = 2.2 s (22 µs per event); two replicas 0.3 s.
        r.cluster = run(5.0, List.of(
                        new Use("127.0.0.1:7001", Role.primary, used(1.0, 3000), 17_000),
                        new Use("127.0.0.1:7002", Role.primary, used(0.7, 2500), 16_000),
                        new Use("127.0.0.1:7003", Role.primary, used(0.5, 2500), 17_000),
                        new Use("127.0.0.1:7004", Role.replica, used(0.2, 0), 17_000),
                        new Use("127.0.0.1:7005", Role.replica, used(0.1, 0), 16_000)),
                Map.of("projector (1 JVM)", 0.6, "redis-server, primary 127.0.0.1:7001", 0.2));
        r.clusterPrimaries = 3;
        r.clusterReplicasPerPrimary = 1;
        r.clusterModelEntries = 40_000;
        r.clusterModelDivergences = List.of();
        return r;
    }

    @Test
    void shouldSumTheClustersPrimariesAndCompareThemWithTheSingleServer() {
        BenchResults r = results();

        assertThat(r.cluster.redis().cpuMicrosPer(EVENTS)).isCloseTo(22.0, within(1e-9));
        assertThat(r.clusterVsSingleNodeRedisMicros()).isCloseTo(1.1, within(1e-9));
        assertThat(r.clusterVsSingleNodeRate()).isCloseTo(0.8, within(1e-9));
        assertThat(RedisNodes.replicasTotal(r.cluster.redisNodes()).cpuMicrosPer(EVENTS)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void shouldShowEachPrimarysShareAndTheClusterBesideTheSingleServer() {
        String text = new BenchReport(results()).render();

        assertThat(text).contains("4c. projector, 1 instance, on a Redis Cluster of 3 primaries")
                .contains("cluster vs one server, redis µs/event: 1.10x")
                .contains("cluster vs one server, events/s: 0.80x")
                .contains("model check, cluster: 40,000 entries implied by the log, 0 divergent");
        assertThat(text.lines().filter(l -> l.startsWith("127.0.0.1:7001")).findFirst().orElseThrow())
                .contains("primary").contains("10.0").contains("45%").contains("17,000").contains("0.20");
        assertThat(text.lines().filter(l -> l.startsWith("replicas, summed")).findFirst().orElseThrow()).contains("3.0");
    }

    @Test
    void shouldPutTheClusterFiguresInTheJson() {
        Map<String, Object> json = new BenchReport(results()).json();

        assertThat((Double) json.get("clusterRedisMicrosPerEvent")).isCloseTo(22.0, within(1e-9));
        assertThat((Double) json.get("clusterReplicaRedisMicrosPerEvent")).isCloseTo(3.0, within(1e-9));
        assertThat((Double) json.get("clusterVsSingleNodeRedisMicrosPerEvent")).isCloseTo(1.1, within(1e-9));
        assertThat(json).containsEntry("clusterPrimaries", 3).containsEntry("clusterModelDivergences", 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) json.get("clusterNodes");
        assertThat(nodes).hasSize(5);
        assertThat(nodes.get(0)).containsEntry("address", "127.0.0.1:7001").containsEntry("role", "primary")
                .containsEntry("keys", 17_000L);
        assertThat((Double) nodes.get(0).get("redisMicrosPerEvent")).isCloseTo(10.0, within(1e-9));
    }

    /** n timings of {@code nanos} each. */
    private static Timings flat(int n, long nanos) {
        long[] samples = new long[n];
        java.util.Arrays.fill(samples, nanos);
        return Timings.of(samples);
    }

    /** The client run: 100 ns L1 hits, 80 µs script reads, 50 µs HGETALLs, 150 µs to each invalidation. */
    private static ClientRun.Result client(long seen, long older) {
        return new ClientRun.Result(new ClientRun.Options(10_000, 1000, 100, 20, 1000), flat(1000, 100), 9_000_000,
                3000, 3000, flat(100, 80_000), flat(100, 50_000), flat((int) seen, 150_000), flat((int) seen, 250_000),
                20, 990, seen, older, 25);
    }

    @Test
    void shouldShowTheClientRunAloneWithoutAWorkload() {
        BenchResults r = new BenchResults();
        r.environment = new LinkedHashMap<>(Map.of("redis", "redis-server 7.0.15, no persistence"));
        r.client = client(20, 0);

        String text = new BenchReport(r).render();

        assertThat(text).doesNotContain("workload:").contains("8. cachep-client, 10,000 hash entries")
                .contains("L1 hit vs Redis read through the client, p50: 800x faster")
                .contains("read script vs plain HGETALL, p50: 1.60x")
                .contains("redis: redis-server 7.0.15").doesNotContain("FAILED");
        assertThat(text.lines().filter(l -> l.startsWith("L1 hit")).findFirst().orElseThrow())
                .contains("100 ns").contains("9,000,000").contains("all L1 hits");
        assertThat(text.lines().filter(l -> l.startsWith("Redis read, client")).findFirst().orElseThrow())
                .contains("80.0 µs").contains("12,500");
        assertThat(text.lines().filter(l -> l.startsWith("fenced write sent -> invalidation")).findFirst().orElseThrow())
                .contains("150.0 µs").contains("990").contains("20 of 20 writes' invalidations seen");
    }

    @Test
    void shouldPutTheClientFiguresInTheJsonBesideTheOtherRuns() {
        BenchResults r = results();
        r.client = client(20, 0);

        assertThat(new BenchReport(r).render()).contains("4c. projector").contains("8. cachep-client");
        Map<String, Object> json = new BenchReport(r).json();
        assertThat(json).containsKey("records");
        @SuppressWarnings("unchecked")
        Map<String, Object> client = (Map<String, Object>) json.get("client");
        assertThat(client).containsEntry("writes", 20L).containsEntry("invalidationsSeen", 20L)
                .containsEntry("olderAfterInvalidation", 0L);
        assertThat((Double) client.get("l1VsRedisRead")).isCloseTo(800.0, within(1e-9));
        @SuppressWarnings("unchecked")
        Map<String, Object> l1Hit = (Map<String, Object>) client.get("l1Hit");
        assertThat((Double) l1Hit.get("p50Micros")).isCloseTo(0.1, within(1e-9));
        assertThat(l1Hit).containsEntry("samples", 1000);
        @SuppressWarnings("unchecked")
        Map<String, Object> invalidation = (Map<String, Object>) client.get("invalidation");
        assertThat((Double) invalidation.get("p99Micros")).isCloseTo(150.0, within(1e-9));
    }

    @Test
    void shouldExitThreeWhenTheClientMissesAnInvalidationOrGoesBackAVersion() {
        BenchResults r = results();
        r.client = client(20, 0);
        assertThat(r.clientHeld()).isTrue();

        r.client = client(19, 0);
        assertThat(r.clientHeld()).isFalse();
        assertThat(new BenchReport(r).render()).contains("client run FAILED: 1 of 20 invalidations missed");

        r.client = client(20, 1);
        assertThat(r.clientHeld()).isFalse();
    }

    @Test
    void shouldWriteDurationsInTheUnitThatFitsThem() {
        assertThat(BenchReport.duration(85)).isEqualTo("85 ns");
        assertThat(BenchReport.duration(91_234)).isEqualTo("91.2 µs");
        assertThat(BenchReport.duration(2_500_000)).isEqualTo("2.50 ms");
        assertThat(BenchReport.duration(Double.NaN)).isEqualTo("-");
    }

    @Test
    void shouldExitThreeWhenTheClusterDivergesFromTheModel() {
        BenchResults r = results();
        assertThat(r.modelHeld()).isTrue();

        r.clusterModelDivergences = List.of("missing app:session:{s-1}");

        assertThat(r.modelHeld()).isFalse();
    }
}
