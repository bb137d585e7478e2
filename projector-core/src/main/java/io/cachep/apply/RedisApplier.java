package io.cachep.apply;

import io.cachep.rules.EntryKey;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.Mutation;
import io.cachep.rules.SlotTokens;
import io.cachep.rules.TagKey;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

/**
 * Applies events' mutations to Redis through the version-fenced apply of cachep's Redis library
 * ({@link RedisLibrary}).
 *
 * <ul>
 *   <li>An event's entry mutations, and the registration of its tagged writes under their tags, go in one atomic
 *       call. Several events can share a call ({@link #applyBatch}, used by {@link ApplyBatcher}): the script applies
 *       each in turn exactly as if it had a call of its own, and one event's failure leaves the others alone.</li>
 *   <li>{@code invalidate-tag} records the invalidation on the tag's index, invalidates every registered entry, and
 *       only then forgets the registrations, so a crash in between is repaired by the retry.</li>
 * </ul>
 * On a Redis Cluster every call keeps to one node ({@link SlotSplit}, {@link TagAnnouncer}); on one server a call's
 * keys may span hash tags. The functions are those of {@link RedisLibrary}, which loads the library again when Redis
 * lost it.
 */
public final class RedisApplier implements FencedApply {
    /** Entries a tag invalidation drops per call. */
    static final int FLUSH_CHUNK = 128;
    private final RedisLibrary library;
    private final Duration tombstoneRetention;
    private final KeyLayout layout;
    private final TagAnnouncer announcer;
    /** On a Redis Cluster, the node serving a slot, as the client's topology has it; null on one server. */
    private final IntFunction<String> nodeOfSlot;
    private volatile WriteObserver observer;

    /** An event as one element of a batch. */
    public record Event(EventStamp stamp, List<Mutation.EntryMutation> mutations) {}

    public RedisApplier(RedisClusterAsyncCommands<String, String> redis, Duration tombstoneRetention, KeyLayout layout) {
        this(new RedisLibrary(redis), tombstoneRetention, layout);
    }

    /** An applier on a single server or a Redis Cluster, its library on every primary. */
    public RedisApplier(RedisTarget target, Duration tombstoneRetention, KeyLayout layout) {
        this(new RedisLibrary(target), tombstoneRetention, layout,
                target.cluster() ? new TagAnnouncer(target, layout, target.commandTimeout()) : null,
                target.cluster() ? target::nodeOfSlot : null);
    }

    /** An applier calling the functions of {@code library}, which another component on the connection shares. */
    public RedisApplier(RedisLibrary library, Duration tombstoneRetention, KeyLayout layout) {
        this(library, tombstoneRetention, layout, null, null);
    }

    /**
     * @param announcer on a Redis Cluster, where tagged writes register (every call then keeps to one slot:
     *                  {@link SlotSplit}); null on one server
     */
    private RedisApplier(RedisLibrary library, Duration tombstoneRetention, KeyLayout layout, TagAnnouncer announcer,
                         IntFunction<String> nodeOfSlot) {
        this.library = library;
        this.tombstoneRetention = tombstoneRetention;
        this.layout = layout;
        this.announcer = announcer;
        this.nodeOfSlot = nodeOfSlot;
    }

    /** Tells {@code observer} of every batch of entry writes sent from now on (null: no one). */
    public void observeWrites(WriteObserver observer) {
        this.observer = observer;
    }

    /** True when the event can share a batch: it has no {@code invalidate-tag}, which takes calls of its own. */
    public static boolean isBatchable(List<Mutation> mutations) {
        for (Mutation mutation : mutations) { // a loop, not a stream: this runs for every event
            if (!(mutation instanceof Mutation.EntryMutation)) {
                return false;
            }
        }
        return true;
    }

    /** The outcome of each mutation, in the order given. Fails with Lettuce's exception when Redis does. */
    @Override
    public CompletableFuture<List<ApplyOutcome>> apply(EventStamp stamp, List<Mutation> mutations) {
        ApplyOutcome[] outcomes = new ApplyOutcome[mutations.size()];
        List<Mutation.EntryMutation> entries = new ArrayList<>();
        List<Integer> entryIndexes = new ArrayList<>();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            if (mutations.get(i) instanceof Mutation.EntryMutation entry) {
                entries.add(entry);
                entryIndexes.add(i);
            } else {
                int index = i;
                parts.add(invalidateTag(stamp, ((Mutation.InvalidateTag) mutations.get(i)).tag())
                        .thenAccept(outcome -> outcomes[index] = outcome));
            }
        }
        if (!entries.isEmpty()) {
            parts.add(applyBatch(List.of(new Event(stamp, entries))).get(0).thenAccept(replies -> {
                for (int j = 0; j < replies.size(); j++) {
                    outcomes[entryIndexes.get(j)] = replies.get(j);
                }
            }));
        }
        return all(parts).thenApply(done -> List.of(outcomes));
    }

    /**
     * Applies the events in one function call, in order, each as if alone. Each event's future completes with its
     * outcomes (one per entry mutation), or fails on its own (a WRONGTYPE: {@link RedisCommandExecutionException}),
     * or all fail together when the call does (Redis unreachable, a timeout).
     */
    public List<CompletableFuture<List<ApplyOutcome>>> applyBatch(List<Event> events) {
        return nodeOfSlot != null ? SlotSplit.apply(events, nodeOfSlot, this::applyInOneCall) : applyInOneCall(events);
    }

    private List<CompletableFuture<List<ApplyOutcome>>> applyInOneCall(List<Event> events) {
        FencedApplyScript.Batch batch = new FencedApplyScript.Batch(tombstoneRetention);
        FencedApplyScript.TagPlacement placement = announcer == null ? FencedApplyScript.AS_IS : announcer;
        events.forEach(event -> batch.add(event.stamp(), event.mutations(), placement));
        WriteObserver watching = observer;
        if (watching != null) {
            List<String> keys = new ArrayList<>();
            events.forEach(event -> event.mutations().forEach(mutation -> keys.add(mutation.key().data())));
            watching.sending(keys, System.nanoTime());
        }
        CompletableFuture<List<Object>> replies = runApply(batch.build());
        if (announcer != null && !batch.announcements().isEmpty()) {
            List<String> announcements = batch.announcements();
            replies.thenRun(() -> announcer.confirm(announcements));
        }
        List<CompletableFuture<List<ApplyOutcome>>> results = new ArrayList<>(events.size());
        for (int e = 0; e < events.size(); e++) {
            int index = e;
            results.add(replies.thenApply(all -> outcomesOf(all.get(index))));
        }
        return results;
    }

    /** One event's part of the library's answer: a letter per outcome, or its own failure ('!' and the error). */
    private static List<ApplyOutcome> outcomesOf(Object reply) {
        String answer = String.valueOf(reply);
        if (answer.startsWith("!")) {
            throw new RedisCommandExecutionException(answer.substring(1));
        }
        List<ApplyOutcome> result = new ArrayList<>(answer.length());
        for (int i = 0; i < answer.length(); i++) {
            result.add(ApplyOutcome.fromLetter(answer.charAt(i)));
        }
        return result;
    }

    /**
     * Applied when this invalidation is newer than any before it on the tag; a duplicate otherwise. Rebuild's shadow
     * ({@link KeyLayout#isShadow()}) keeps the registrations its invalidations dealt with: rebuild carries every one of
     * them over to the live index and replays the latest invalidation there ({@link ShadowPromoter#promoteTag}), which
     * must reach a live entry promoted before the shadow's invalidation dropped the shadow's copy, while the live
     * index had lost its registration (the damage rebuild repairs) and the projector's own invalidation missed it.
     */
    private CompletableFuture<ApplyOutcome> invalidateTag(EventStamp stamp, TagKey tag) {
        CompletableFuture<Boolean> advanced = invalidateIndex(stamp, tag);
        if (announcer == null) {
            return advanced.thenApply(RedisApplier::outcome);
        }
        // On a cluster the tag's own index holds no registrations, only the global marker just advanced; the
        // registrations are in the shards of the slots the registry lists, each invalidated the same way.
        return advanced.thenCompose(moved -> library.<List<Object>>call(RedisLibrary.Function.TAG_INDEX,
                        ScriptOutputType.MULTI, new String[] {layout.tagSlots(tag)}, "S", "0")
                .thenCompose(slots -> {
                    List<CompletableFuture<Boolean>> shards = new ArrayList<>();
                    slots.forEach(slot -> shards.add(invalidateIndex(stamp,
                            layout.tagShard(tag, Integer.parseInt(String.valueOf(slot))))));
                    return CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new));
                })
                .thenApply(done -> outcome(moved)));
    }

    private static ApplyOutcome outcome(boolean advanced) {
        return advanced ? ApplyOutcome.APPLIED : ApplyOutcome.DUPLICATE;
    }

    /** One index (the tag's, or on a cluster one shard of it): advance its marker, drop its entries, forget them. */
    private CompletableFuture<Boolean> invalidateIndex(EventStamp stamp, TagKey tag) {
        long time = stamp.timeMillis();
        boolean[] advanced = new boolean[1];
        return runTagList(tag, "F", time).thenCompose(reply -> {
            advanced[0] = "1".equals(String.valueOf(reply.get(0)));
            // A tag may index tens of thousands of entries: they are flushed FLUSH_CHUNK to a call, grouped by node
            // on a cluster, rather than a call each, which would flood the connection's request queue.
            Map<String, List<EntryKey>> byNode = new LinkedHashMap<>();
            for (Object dataKey : reply.subList(1, reply.size())) {
                EntryKey entry = layout.entryOfDataKey(String.valueOf(dataKey));
                String node = nodeOfSlot == null ? "" : nodeOfSlot.apply(SlotTokens.slotOf(entry.data()));
                byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(entry);
            }
            List<CompletableFuture<Void>> flushes = new ArrayList<>();
            byNode.values().forEach(entries -> {
                for (int from = 0; from < entries.size(); from += FLUSH_CHUNK) {
                    List<EntryKey> chunk = entries.subList(from, Math.min(entries.size(), from + FLUSH_CHUNK));
                    flushes.add(runApply(new FencedApplyScript.Batch(tombstoneRetention).flush(stamp, chunk, time).build())
                            .thenAccept(replies -> outcomesOf(replies.get(0))));
                }
            });
            return all(flushes);
        }).thenCompose(done -> layout.isShadow() ? CompletableFuture.completedFuture(null) : runTagValue(tag, "C", time))
                .thenApply(done -> advanced[0]);
    }

    /** One call of the apply; on a cluster, keys of several slots (one node's: {@link SlotSplit}) go across slots. */
    private CompletableFuture<List<Object>> runApply(FencedApplyScript.Call call) {
        if (nodeOfSlot != null && spansSlots(call.keys())) {
            return library.callAcrossSlots(ScriptOutputType.MULTI, call.keys(), call.args());
        }
        return library.call(RedisLibrary.Function.APPLY, ScriptOutputType.MULTI, call.keys(), call.args());
    }

    private static boolean spansSlots(String[] keys) {
        int slot = SlotTokens.slotOf(keys[0]);
        for (int i = 1; i < keys.length; i++) {
            if (SlotTokens.slotOf(keys[i]) != slot) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Object> runTagValue(TagKey tag, String op, long time) {
        return library.call(RedisLibrary.Function.TAG_INDEX, ScriptOutputType.VALUE,
                new String[] {tag.index(), tag.flushedAt()}, op, Long.toString(time));
    }

    private CompletableFuture<List<Object>> runTagList(TagKey tag, String op, long time) {
        return library.call(RedisLibrary.Function.TAG_INDEX, ScriptOutputType.MULTI,
                new String[] {tag.index(), tag.flushedAt()}, op, Long.toString(time));
    }

    private static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    /** The failure itself, without the wrappers futures put around it. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
