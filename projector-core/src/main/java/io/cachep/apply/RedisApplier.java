package io.cachep.apply;

import io.cachep.rules.Mutation;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Applies the mutations of one event to Redis through the version-fenced Lua script. Mutations that share a hash
 * tag go in one atomic call; mutations on other hash tags are separate calls, each fenced on its own, so a retry
 * after a partial failure is safe. Scripts are run by SHA; after a {@code SCRIPT FLUSH} or a Redis restart the
 * NOSCRIPT answer reloads the script and the call is sent again.
 */
public final class RedisApplier {
    private final RedisAsyncCommands<String, String> redis;
    private final Duration tombstoneRetention;
    private final String sha;

    public RedisApplier(RedisAsyncCommands<String, String> redis, Duration tombstoneRetention) {
        this.redis = redis;
        this.tombstoneRetention = tombstoneRetention;
        this.sha = redis.digest(FencedApplyScript.SOURCE);
    }

    /** The outcome of each mutation, in the order given. Fails with Lettuce's exception when Redis does. */
    public CompletableFuture<List<ApplyOutcome>> apply(long version, List<Mutation> mutations) {
        Map<String, List<Integer>> byHashTag = new LinkedHashMap<>();
        for (int i = 0; i < mutations.size(); i++) {
            byHashTag.computeIfAbsent(mutations.get(i).key().hashTag(), k -> new ArrayList<>()).add(i);
        }
        ApplyOutcome[] outcomes = new ApplyOutcome[mutations.size()];
        List<CompletableFuture<Void>> calls = new ArrayList<>(byHashTag.size());
        for (List<Integer> indexes : byHashTag.values()) {
            List<Mutation> group = indexes.stream().map(mutations::get).toList();
            FencedApplyScript.Call call = FencedApplyScript.encode(version, tombstoneRetention, group);
            calls.add(run(call).thenAccept(replies -> {
                for (int j = 0; j < indexes.size(); j++) {
                    outcomes[indexes.get(j)] = ApplyOutcome.fromScript(replies.get(j));
                }
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(done -> List.of(outcomes));
    }

    private CompletableFuture<List<Object>> run(FencedApplyScript.Call call) {
        return evalsha(call).exceptionallyCompose(error -> {
            if (unwrap(error) instanceof RedisNoScriptException) {
                return redis.scriptLoad(FencedApplyScript.SOURCE).toCompletableFuture().thenCompose(loaded -> evalsha(call));
            }
            return CompletableFuture.failedFuture(unwrap(error));
        });
    }

    private CompletableFuture<List<Object>> evalsha(FencedApplyScript.Call call) {
        return redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, call.keys(), call.args()).toCompletableFuture();
    }

    /** The failure itself, without the wrappers futures put around it. */
    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
