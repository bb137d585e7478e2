package io.cachep.apply;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends cachep's writes so that their replies mean what {@link ReplicaWait} asks: without it, as any command (a
 * cluster client routes it to its key's primary and follows MOVED and ASK itself); with it, on the key's primary's own
 * connection followed by {@code WAIT} on that same connection.
 *
 * <p>Why the same connection: {@code WAIT} counts the replication of the writes its own connection made before it.
 * A cluster client routes by key over pooled node connections, so a {@code WAIT} sent "to the node" might ride another
 * connection (one with no writes, which WAIT answers at once) or go to a node the write did not reach after a
 * redirect. Sending both on the connection to the primary the client's topology names keeps them together; a
 * {@code MOVED} there (the topology changed) is a transient failure that asks for a topology refresh, and the retry
 * goes to the new owner. Either way, a function that met a key its node does not serve asks for one too.
 */
public final class AcknowledgedWrites {
    private final RedisTarget target;
    private final ReplicaWait wait;

    AcknowledgedWrites(RedisTarget target, ReplicaWait wait) {
        this.target = target;
        this.wait = wait;
    }

    /** Sends {@code write}, whose first key is {@code key}, and completes when it counts as acknowledged. */
    public <T> CompletableFuture<T> send(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> write) {
        CompletableFuture<T> sent = wait.enabled() ? sendAndWait(key, write) : write.apply(target.async()).toCompletableFuture();
        return sent.whenComplete((reply, error) -> {
            if (error != null && isTopologyChange(RedisApplier.unwrap(error))) {
                target.topologyChanged();
            }
        });
    }

    private <T> CompletableFuture<T> sendAndWait(String key, Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> write) {
        return target.primaryOf(key).thenCompose(primary -> {
            // Both are queued on the connection before either reply is read: WAIT follows the write on the wire.
            CompletableFuture<T> written = write.apply(primary.commands()).toCompletableFuture();
            CompletableFuture<Long> replicated = primary.commands()
                    .waitForReplication(wait.replicas(), wait.timeout().toMillis()).toCompletableFuture();
            return written.thenCombine(replicated, (reply, acknowledged) -> {
                if (acknowledged < wait.replicas()) {
                    wait.listener().shortOf(primary.name(), acknowledged, wait.replicas());
                    throw new ReplicasShortException(primary.name(), acknowledged, wait.replicas(), wait.timeout().toMillis());
                }
                wait.listener().acknowledged(primary.name());
                return reply;
            });
        });
    }

    /**
     * A redirect the client did not follow (on a node's own connection), or a function meeting a key its node does not
     * serve: the client's topology is out of date, and nothing else would tell it (Lettuce refreshes on the redirects
     * it sees itself).
     */
    private static boolean isTopologyChange(Throwable error) {
        String message = String.valueOf(error.getMessage());
        return error instanceof RedisCommandExecutionException && (message.startsWith("MOVED") || message.startsWith("ASK")
                || message.contains(RedisFailure.NON_LOCAL_KEY));
    }
}
