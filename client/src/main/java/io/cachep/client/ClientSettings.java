package io.cachep.client;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A client's settings, checked by {@link CachepClient.Builder#build()}; the builder documents each. */
record ClientSettings(List<RedisURI> seeds, boolean cluster, String namespace, long l1MaxEntries, Duration readTimeout,
                      Duration trackingHeartbeat, Duration trackingTimeout, Duration maxStaleness,
                      Duration redisRetryInterval, Duration divergenceInterval, int divergenceSampleSize,
                      Object meterRegistry, Consumer<String> invalidationListener) {
    ClientSettings {
        StringBuilder problems = new StringBuilder();
        if (seeds == null) {
            problems.append("\n  redisUri: not set (e.g. redis://localhost:6379)");
        } else if (seeds.size() > 1 && !cluster) {
            problems.append("\n  redisUri: ").append(seeds.size())
                    .append(" seeds, which is a Redis Cluster's form: set cluster(true)");
        }
        if (namespace == null) {
            problems.append("\n  namespace: not set (the rules file's namespace, e.g. demo)");
        }
        if (l1MaxEntries < 0) {
            problems.append("\n  l1MaxEntries: ").append(l1MaxEntries).append(" is negative (0 turns the L1 off)");
        }
        positive(problems, "readTimeout", readTimeout);
        positive(problems, "trackingHeartbeat", trackingHeartbeat);
        positive(problems, "trackingTimeout", trackingTimeout);
        positive(problems, "redisRetryInterval", redisRetryInterval);
        if (trackingTimeout != null && trackingHeartbeat != null && trackingTimeout.compareTo(trackingHeartbeat) <= 0) {
            problems.append("\n  trackingTimeout: ").append(trackingTimeout)
                    .append(" must be longer than trackingHeartbeat (").append(trackingHeartbeat).append(")");
        }
        if (maxStaleness == null || maxStaleness.isNegative()) {
            problems.append("\n  maxStaleness: ").append(maxStaleness).append(" must be zero (off) or positive");
        }
        if (divergenceInterval == null || divergenceInterval.isNegative()) {
            problems.append("\n  divergenceInterval: ").append(divergenceInterval).append(" must be zero (off) or positive");
        }
        if (divergenceSampleSize <= 0) {
            problems.append("\n  divergenceSampleSize: ").append(divergenceSampleSize).append(" must be positive");
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException("cachep-client settings:" + problems);
        }
    }

    private static void positive(StringBuilder problems, String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            problems.append("\n  ").append(name).append(": ").append(value).append(" must be positive");
        }
    }
}
