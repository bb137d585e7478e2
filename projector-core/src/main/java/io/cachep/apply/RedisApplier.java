package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.TagKey;
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
import java.util.function.Supplier;

/**
 * Applies the mutations of one event to Redis through the version-fenced Lua script.
 *
 * <ul>
 *   <li>Entry mutations that share a hash tag go in one atomic call; mutations on other hash tags are separate
 *       calls, each fenced on its own, so a retry after a partial failure is safe.</li>
 *   <li>Then each tagged write registers its key in the tag's index (a call on the tag's slot); if the tag was
 *       invalidated at or after this event's time, the entry is invalidated too.</li>
 *   <li>{@code invalidate-tag} records the invalidation on the tag's slot, invalidates every registered entry on its
 *       own slot, and only then forgets the registrations, so a crash in between is repaired by the retry.</li>
 * </ul>
 * Scripts run by SHA; a NOSCRIPT answer (after {@code SCRIPT FLUSH} or a restart) reloads the script and resends.
 */
public final class RedisApplier {
    private final RedisAsyncCommands<String, String> redis;
    private final Duration tombstoneRetention;
    private final KeyLayout layout;
    private final String applySha;
    private final String tagSha;

    public RedisApplier(RedisAsyncCommands<String, String> redis, Duration tombstoneRetention, KeyLayout layout) {
        this.redis = redis;
        this.tombstoneRetention = tombstoneRetention;
        this.layout = layout;
        this.applySha = redis.digest(FencedApplyScript.SOURCE);
        this.tagSha = redis.digest(FencedApplyScript.TAG_INDEX_SOURCE);
        // Load both scripts up front: otherwise the first calls all fail with NOSCRIPT and their resends can overtake
        // each other (harmless under the fence, but the outcome counts then depend on timing).
        try {
            redis.scriptLoad(FencedApplyScript.SOURCE).get(10, java.util.concurrent.TimeUnit.SECONDS);
            redis.scriptLoad(FencedApplyScript.TAG_INDEX_SOURCE).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // Redis unreachable now: the NOSCRIPT path loads the scripts when it is back.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The outcome of each mutation, in the order given. Fails with Lettuce's exception when Redis does. */
    public CompletableFuture<List<ApplyOutcome>> apply(EventStamp stamp, List<Mutation> mutations) {
        ApplyOutcome[] outcomes = new ApplyOutcome[mutations.size()];
        Map<String, List<Integer>> byHashTag = new LinkedHashMap<>();
        List<CompletableFuture<Void>> invalidations = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            if (mutations.get(i) instanceof Mutation.EntryMutation entry) {
                byHashTag.computeIfAbsent(entry.key().hashTag(), k -> new ArrayList<>()).add(i);
            } else {
                int index = i;
                invalidations.add(invalidateTag(stamp, ((Mutation.InvalidateTag) mutations.get(i)).tag())
                        .thenAccept(outcome -> outcomes[index] = outcome));
            }
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (List<Integer> indexes : byHashTag.values()) {
            FencedApplyScript.Builder call = new FencedApplyScript.Builder(stamp, tombstoneRetention);
            indexes.forEach(i -> call.add((Mutation.EntryMutation) mutations.get(i)));
            writes.add(runApply(call.build()).thenAccept(replies -> {
                for (int j = 0; j < indexes.size(); j++) {
                    outcomes[indexes.get(j)] = ApplyOutcome.fromScript(replies.get(j));
                }
            }));
        }
        CompletableFuture<Void> registered = all(writes).thenCompose(done -> registerTags(stamp, mutations));
        invalidations.add(registered);
        return all(invalidations).thenApply(done -> List.of(outcomes));
    }

    /** Registers every tagged write; invalidates at once an entry whose tag was invalidated at or after this event. */
    private CompletableFuture<Void> registerTags(EventStamp stamp, List<Mutation> mutations) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (Mutation mutation : mutations) {
            if (!(mutation instanceof Mutation.EntryMutation entry)) {
                continue;
            }
            for (TagKey tag : entry.tags()) {
                calls.add(runTagValue(tag, "R", stamp.timeMillis(), entry.key().data()).thenCompose(invalidatedAt -> {
                    if (invalidatedAt == null || invalidatedAt.isEmpty() || Long.parseLong(invalidatedAt) < stamp.timeMillis()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return runApply(new FencedApplyScript.Builder(stamp, tombstoneRetention)
                            .flush(entry.key(), Long.parseLong(invalidatedAt)).build()).thenApply(r -> null);
                }));
            }
        }
        return all(calls);
    }

    /** Applied when this invalidation is newer than any before it on the tag; a duplicate otherwise. */
    private CompletableFuture<ApplyOutcome> invalidateTag(EventStamp stamp, TagKey tag) {
        long time = stamp.timeMillis();
        ApplyOutcome[] outcome = new ApplyOutcome[1];
        return runTagList(tag, "F", time).thenCompose(reply -> {
            outcome[0] = "1".equals(String.valueOf(reply.get(0))) ? ApplyOutcome.APPLIED : ApplyOutcome.DUPLICATE;
            Map<String, FencedApplyScript.Builder> byHashTag = new LinkedHashMap<>();
            for (Object dataKey : reply.subList(1, reply.size())) {
                EntryKey entry = layout.entryOfDataKey(String.valueOf(dataKey));
                byHashTag.computeIfAbsent(entry.hashTag(), k -> new FencedApplyScript.Builder(stamp, tombstoneRetention))
                        .flush(entry, time);
            }
            List<CompletableFuture<Void>> flushes = new ArrayList<>();
            byHashTag.values().forEach(call -> flushes.add(runApply(call.build()).thenApply(r -> null)));
            return all(flushes);
        }).thenCompose(done -> runTagValue(tag, "C", time, null)).thenApply(done -> outcome[0]);
    }

    private CompletableFuture<List<Object>> runApply(FencedApplyScript.Call call) {
        return withReload(FencedApplyScript.SOURCE, () ->
                redis.<List<Object>>evalsha(applySha, ScriptOutputType.MULTI, call.keys(), call.args()).toCompletableFuture());
    }

    private CompletableFuture<String> runTagValue(TagKey tag, String op, long time, String member) {
        String[] args = member == null ? new String[] {op, Long.toString(time)} : new String[] {op, Long.toString(time), member};
        return withReload(FencedApplyScript.TAG_INDEX_SOURCE, () -> redis.<Object>evalsha(tagSha, ScriptOutputType.VALUE,
                new String[] {tag.index(), tag.flushedAt()}, args).toCompletableFuture().thenApply(v -> v == null ? null : String.valueOf(v)));
    }

    private CompletableFuture<List<Object>> runTagList(TagKey tag, String op, long time) {
        return withReload(FencedApplyScript.TAG_INDEX_SOURCE, () -> redis.<List<Object>>evalsha(tagSha, ScriptOutputType.MULTI,
                new String[] {tag.index(), tag.flushedAt()}, op, Long.toString(time)).toCompletableFuture());
    }

    private <T> CompletableFuture<T> withReload(String source, Supplier<CompletableFuture<T>> call) {
        return call.get().exceptionallyCompose(error -> {
            if (unwrap(error) instanceof RedisNoScriptException) {
                return redis.scriptLoad(source).toCompletableFuture().thenCompose(loaded -> call.get());
            }
            return CompletableFuture.failedFuture(unwrap(error));
        });
    }

    private static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
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
