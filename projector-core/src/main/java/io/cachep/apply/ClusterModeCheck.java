package io.cachep.apply;

import io.cachep.config.ProjectorConfig;
import io.cachep.config.RedisEndpoint;
import io.cachep.errors.Causes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server must be what {@code projector.redis.cluster} says. A cluster node taken for a single server would answer
 * most writes with MOVED, retried forever; a single server taken for a cluster fails at the first topology read with
 * Lettuce's words. Both are stopped at startup with the fix named.
 */
final class ClusterModeCheck {
    private ClusterModeCheck() {}

    /** For a single-server endpoint: the server's {@code HELLO} must not say it is a cluster node. */
    static void requireStandalone(RedisEndpoint endpoint, Map<String, String> hello) {
        if ("cluster".equals(hello.get("mode"))) {
            throw new IllegalStateException(endpoint.redactedUri() + " is a Redis Cluster node, but "
                    + ProjectorConfig.REDIS_CLUSTER_CONFIG + " is false: set " + ProjectorConfig.REDIS_CLUSTER_CONFIG
                    + "=true (PROJECTOR_REDIS_CLUSTER=true), and list a few of its nodes as seeds in "
                    + ProjectorConfig.REDIS_URI_CONFIG + " (redis://host1:7000,host2:7000)");
        }
    }

    /** For a cluster endpoint whose connection failed: why, in terms of the configuration. */
    static RuntimeException explain(RedisEndpoint endpoint, RuntimeException failure) {
        RuntimeException denied = permissionError(failure);
        if (denied != null) {
            return denied; // said with the grant it needs (RedisPermissions), not as a seed that did not answer
        }
        List<String> messages = messages(failure);
        if (messages.stream().anyMatch(m -> m.contains("cluster support disabled"))) {
            return new IllegalStateException(endpoint.redactedUri() + " is a single Redis server (cluster support"
                    + " disabled), but " + ProjectorConfig.REDIS_CLUSTER_CONFIG + " is true: set "
                    + ProjectorConfig.REDIS_CLUSTER_CONFIG + "=false, or point " + ProjectorConfig.REDIS_URI_CONFIG
                    + " at the cluster's nodes", failure);
        }
        if (messages.stream().anyMatch(m -> m.contains("Cannot retrieve") || m.contains("Unable to"))) {
            List<String> reasons = new ArrayList<>(messages);
            reasons.removeIf(m -> m.contains("Cannot retrieve") || m.contains("Unable to establish"));
            return new IllegalStateException("no seed node of " + ProjectorConfig.REDIS_URI_CONFIG + " ("
                    + endpoint.redactedUri() + ") answered as a Redis Cluster node"
                    + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons)), failure);
        }
        return failure;
    }

    /** The first NOPERM among the failure's causes and what they suppressed (one per seed), or null. */
    private static RuntimeException permissionError(Throwable failure) {
        for (Throwable e : causesAndSuppressed(failure)) {
            if (e instanceof RuntimeException runtime && RedisPermissions.isPermissionError(e)) {
                return runtime;
            }
        }
        return null;
    }

    /** The messages of the failure, its causes and what it suppressed, each once. */
    private static List<String> messages(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        causesAndSuppressed(failure).forEach(e -> add(messages, e));
        return new ArrayList<>(messages);
    }

    /**
     * The failure and its causes, each followed by the causes of what it suppressed: Lettuce's cluster connect adds one
     * suppressed failure per seed that did not answer.
     */
    private static List<Throwable> causesAndSuppressed(Throwable failure) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable e : Causes.of(failure)) {
            all.add(e);
            for (Throwable suppressed : e.getSuppressed()) {
                all.addAll(Causes.of(suppressed));
            }
        }
        return all;
    }

    private static void add(Set<String> messages, Throwable e) {
        if (e.getMessage() != null) {
            messages.add(e.getMessage().replace('\n', ' ').strip());
        }
    }
}
