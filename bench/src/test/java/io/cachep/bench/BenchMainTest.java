package io.cachep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.bench.BenchMain.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Which runs a command line selects: the Redis Cluster run only when asked for, alone or beside run 4; the client run by
 * default or alone.
 */
class BenchMainTest {
    private static BenchMain parse(String... args) {
        BenchMain bench = new BenchMain();
        new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return bench;
    }

    @Test
    void shouldRunEverythingButTheClusterAndRecoveryRunsByDefault() {
        assertThat(parse().selectedRuns()).isEqualTo(EnumSet.complementOf(EnumSet.of(Run.cluster, Run.recovery, Run.follow, Run.share)));
    }

    @Test
    void shouldTakeTheRecoveryRunOnlyByNameWithItsSizes() {
        BenchMain bench = parse("--runs", "recovery", "--recovery-sizes", "1000,5000");
        assertThat(bench.selectedRuns()).containsExactly(Run.recovery);
        assertThat(bench.recoverySizes).containsExactly(1000L, 5000L);
        assertThat(parse().recoverySizes).containsExactly(1_000_000L, 3_000_000L, 10_000_000L);
    }

    @Test
    void shouldTakeTheFollowRunOnlyByNameWithTheDemosRate() {
        BenchMain bench = parse("--runs", "follow", "--follow-log", "5000");
        assertThat(bench.selectedRuns()).containsExactly(Run.follow);
        assertThat(bench.followLog).isEqualTo(5000L);
        assertThat(parse().followRate).isEqualTo(200.0);
    }

    @Test
    void shouldTakeTheShareRunOnlyByName() {
        BenchMain bench = parse("--runs", "share", "--share-log", "5000");
        assertThat(bench.selectedRuns()).containsExactly(Run.share);
        assertThat(bench.shareLog).isEqualTo(5000L);
    }

    @Test
    void shouldAddTheClusterRunToEveryDefaultRunWithRedisCluster() {
        assertThat(parse("--redis-cluster").selectedRuns()).isEqualTo(EnumSet.complementOf(EnumSet.of(Run.recovery, Run.follow, Run.share)));
    }

    @Test
    void shouldRunOnlyTheSingleServerProjectorAndTheClusterWithRunsProjectorAndRedisCluster() {
        assertThat(parse("--runs", "projector", "--redis-cluster").selectedRuns())
                .containsExactly(Run.projector, Run.cluster);
    }

    @Test
    void shouldTakeTheClusterRunByNameInRuns() {
        assertThat(parse("--runs", "cluster").selectedRuns()).containsExactly(Run.cluster);
    }

    @Test
    void shouldRunTheClientRunAloneByNameInRunsAndAsPartOfTheDefault() {
        assertThat(parse("--runs", "client").selectedRuns()).containsExactly(Run.client);
        assertThat(parse().selectedRuns()).contains(Run.client);
    }

    @Test
    void shouldTakeTheClientRunsSizesFromItsOptions() {
        BenchMain bench = parse("--runs", "client", "--client-entries", "500", "--client-l1-reads", "2000",
                "--client-redis-reads", "300", "--client-writes", "50", "--client-write-rate", "200");

        assertThat(bench.clientOptions()).isEqualTo(new ClientRun.Options(500, 2000, 300, 50, 200));
        assertThat(parse().clientOptions()).isEqualTo(ClientRun.Options.DEFAULTS);
    }

    @Test
    void shouldRefuseAClientRunWithoutWritesAsAUsageErrorBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--runs", "client", "--client-writes", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--client-*").contains("writes 0");
    }

    @Test
    void shouldTakeTheClustersShapeFromItsOptions() {
        BenchMain bench = parse("--redis-cluster", "--redis-cluster-primaries", "4", "--redis-cluster-replicas", "0");

        assertThat(bench.clusterPrimaries).isEqualTo(4);
        assertThat(bench.clusterReplicas).isZero();
        assertThat(parse().clusterPrimaries).isEqualTo(3);
        assertThat(parse().clusterReplicas).isEqualTo(1);
    }

    @Test
    void shouldRefuseAClusterOfFewerThanThreePrimariesAsAUsageErrorBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new BenchMain());
        commandLine.setErr(new PrintWriter(err, true));

        int exit = commandLine.execute("--redis-cluster", "--redis-cluster-primaries", "2");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--redis-cluster-primaries must be 3 or more");
    }
}
