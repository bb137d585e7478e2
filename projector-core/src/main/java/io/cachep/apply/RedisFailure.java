package io.cachep.apply;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Classifies a failed Redis call once: is it the event's fault (POISON), a passing condition worth retrying from
 * the last commit (TRANSIENT), or something no retry can fix (FATAL)?
 */
public enum RedisFailure {
    /** The key holds another type than the rule writes: this event can never apply. To the DLQ. */
    POISON,
    /**
     * Connection lost or refused, timeout, LOADING, BUSY, READONLY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN, and OOM (a
     * full Redis is an operational condition that more memory or less data ends, like a pause): retry.
     */
    TRANSIENT,
    /**
     * Authentication or permission errors (see {@link RedisPermissions}), or a script error that signals a bug: stop
     * with a clear message.
     */
    FATAL;

    /**
     * Redis's answer to a write while used memory is above maxmemory (noeviction). A function that may write is
     * refused before it runs (Redis 7 checks it up front), so an OOM never leaves a batch half applied.
     */
    public static final String OUT_OF_MEMORY = "OOM";

    private static final List<String> TRANSIENT_PREFIXES =
            List.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "MOVED", "ASK", OUT_OF_MEMORY);
    private static final List<String> FATAL_PREFIXES = List.of("NOAUTH", "WRONGPASS", "NOPERM");
    /** What Redis says when a function's command meets a key its cluster node does not serve. */
    static final String NON_LOCAL_KEY = "Script attempted to access a non local key";
    /**
     * A function's own command meeting a key this Redis Cluster node does not serve (the slot moved, or is moving
     * away), or a cluster that is down: the topology changed under the call, which a retry after it is read again
     * sends to the right node. Redis raises these inside the function, so they come back as ERR.
     */
    private static final List<String> TRANSIENT_IN_FUNCTION = List.of(NON_LOCAL_KEY,
            "Script attempted to execute a command while the cluster is down",
            "Script attempted to execute a write command while the cluster is down");

    /** True when Redis refused a write because it is full (used memory above maxmemory). */
    public static boolean isOutOfMemory(Throwable failure) {
        Throwable e = RedisApplier.unwrap(failure);
        return e instanceof RedisCommandExecutionException && String.valueOf(e.getMessage()).startsWith(OUT_OF_MEMORY);
    }

    public static RedisFailure classify(Throwable failure) {
        Throwable e = RedisApplier.unwrap(failure);
        if (e instanceof RedisCommandExecutionException) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("WRONGTYPE")) {
                return POISON;
            }
            if (FATAL_PREFIXES.stream().anyMatch(message::startsWith) || RedisPermissions.isPermissionError(e)) {
                return FATAL;
            }
            if (TRANSIENT_PREFIXES.stream().anyMatch(message::startsWith)
                    || TRANSIENT_IN_FUNCTION.stream().anyMatch(message::contains)) {
                return TRANSIENT;
            }
            return FATAL;
        }
        if (e instanceof RedisConnectionException || e instanceof RedisCommandTimeoutException
                || e instanceof CancellationException || e instanceof java.io.IOException) {
            return TRANSIENT;
        }
        if (e instanceof RedisException) {
            // Lettuce's generic failures: "Connection closed", "Currently not connected" (REJECT_COMMANDS), ...
            return TRANSIENT;
        }
        return FATAL;
    }
}
