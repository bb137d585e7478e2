package io.cachep.bench;

import java.util.List;
import java.util.Map;

/** Everything one bench run measured; a run that was skipped leaves its part null. */
final class BenchResults {
    Workload workload;
    Preloader.Loaded loaded;
    int partitions;
    Throughput kafkaLimit;
    RedisLimitRun.Result redisLimit;
    RedisStats redisLimitStats;
    Throughput redisFloor;
    RedisStats redisFloorStats;
    Throughput naiveSync;
    Throughput naiveBatched;
    RedisStats naiveBatchedStats;
    ProjectorRun.Result projector;
    /** Run 4b: the build before a change, on the same workload. */
    ProjectorRun.Result projectorBefore;
    /** Entries the reference projection of the log implies, and how many Redis differs on, after the projector run. */
    Integer modelEntries;
    List<String> modelDivergences;
    /** Run 4c: one projector on a Redis Cluster of {@code clusterPrimaries} primaries, on the same workload. */
    ProjectorRun.Result cluster;
    int clusterPrimaries;
    int clusterReplicasPerPrimary;
    /** The model check of run 4c: the cluster against the same reference projection. */
    Integer clusterModelEntries;
    List<String> clusterModelDivergences;
    /** One per rate; the first at half the projector's rate unless rates were given. */
    List<LatencyRun.Result> latency = new java.util.ArrayList<>();
    PauseRun.Result pause;
    ProjectorRun.Result scaling;
    int scalingInstances;
    /** Run 8: cachep-client's reads and invalidations. */
    ClientRun.Result client;
    /** Run 9 (alone): dlq-tool's verify and rebuild at each size of the log. */
    List<RecoveryRun.Step> recovery;
    FollowRun.Result follow;
    ShareRun.Result share;
    Map<String, String> environment;

    /** min(Redis limit, Kafka limit): the most any projector could do here. */
    Double limit() {
        if (kafkaLimit == null || redisLimit == null) {
            return null;
        }
        return Math.min(kafkaLimit.eventsPerSecond(), redisLimit.throughput().eventsPerSecond());
    }

    Double ofLimit() {
        return projector == null || limit() == null ? null : projector.throughput().eventsPerSecond() / limit();
    }

    /** The fenced Redis CPU per event of run 4 (else run 1) over the plain writes' of run 1b: what the fence costs. */
    Double fenceOverhead() {
        if (redisFloor == null || redisFloorStats == null) {
            return null;
        }
        double floor = redisFloorStats.cpuMicrosPer(redisFloor.events());
        if (projector != null) {
            return projector.redis().cpuMicrosPer(projector.throughput().events()) / floor;
        }
        return redisLimit == null ? null : redisLimitStats.cpuMicrosPer(redisLimit.throughput().events()) / floor;
    }

    /** The projector JVMs' CPU per event in a run, µs (all instances together). */
    static Double jvmMicrosPerEvent(ProjectorRun.Result run) {
        if (run == null) {
            return null;
        }
        double cores = run.cores().entrySet().stream().filter(e -> e.getKey().startsWith("projector"))
                .mapToDouble(Map.Entry::getValue).sum();
        return cores * 1e6 / run.throughput().eventsPerSecond();
    }

    /** Run 4's events/s over run 4b's: this build against the build before. */
    Double versusBefore() {
        return projector == null || projectorBefore == null ? null
                : projector.throughput().eventsPerSecond() / projectorBefore.throughput().eventsPerSecond();
    }

    /** Run 4c's Redis CPU per event (summed over the primaries) over run 4's (one server): what sharding costs per event. */
    Double clusterVsSingleNodeRedisMicros() {
        return projector == null || cluster == null ? null
                : cluster.redis().cpuMicrosPer(cluster.throughput().events())
                        / projector.redis().cpuMicrosPer(projector.throughput().events());
    }

    /** Run 4c's events/s over run 4's. */
    Double clusterVsSingleNodeRate() {
        return projector == null || cluster == null ? null
                : cluster.throughput().eventsPerSecond() / projector.throughput().eventsPerSecond();
    }

    /** Whether Redis equalled the model after every run that was checked (run 4, run 4c). */
    boolean modelHeld() {
        return (modelDivergences == null || modelDivergences.isEmpty())
                && (clusterModelDivergences == null || clusterModelDivergences.isEmpty())
                && (recovery == null || recovery.stream().allMatch(step -> step.commands().stream().allMatch(c ->
                        c.exit() == 0 || c.exit() == 3 && !c.name().equals("verify after rebuild"))))
                && (follow == null || follow.verifyExit() == 0 && follow.falseReports() == 0)
                && (share == null || share.allEqual());
    }

    /** Whether the client run, if it ran, saw every write's invalidation and never an older version after one. */
    boolean clientHeld() {
        return client == null || client.held();
    }

    Double versus(Throughput baseline) {
        return projector == null || baseline == null ? null : projector.throughput().eventsPerSecond() / baseline.eventsPerSecond();
    }
}
