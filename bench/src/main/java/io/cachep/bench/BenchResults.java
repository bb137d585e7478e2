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
    Throughput naiveSync;
    Throughput naiveBatched;
    RedisStats naiveBatchedStats;
    ProjectorRun.Result projector;
    /** Entries the reference projection of the log implies, and how many Redis differs on, after the projector run. */
    Integer modelEntries;
    List<String> modelDivergences;
    /** One per rate; the first at half the projector's rate unless rates were given. */
    List<LatencyRun.Result> latency = new java.util.ArrayList<>();
    PauseRun.Result pause;
    ProjectorRun.Result scaling;
    int scalingInstances;
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

    Double versus(Throughput baseline) {
        return projector == null || baseline == null ? null : projector.throughput().eventsPerSecond() / baseline.eventsPerSecond();
    }
}
