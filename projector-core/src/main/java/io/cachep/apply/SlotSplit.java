package io.cachep.apply;

import io.cachep.rules.Mutation;
import io.cachep.rules.SlotTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A batch cut into one call per Redis Cluster node: a call's keys must be on one node, and a call per slot instead
 * would cost Redis a call per event (16,384 slots: a batch's events rarely share one), several times the CPU of one
 * server's batched calls. A call whose keys span slots goes to the library's {@code apply_slots}
 * ({@code allow-cross-slot-keys}; see {@link RedisApplier}). Each event keeps its place in every node's call, so one
 * entry's events still apply in log order; an event whose mutations span nodes (a session and its user's session set)
 * is applied in parts, one per node, each fenced on its own entries, so a retry after a partial failure re-applies
 * what was missed and finds the rest a duplicate. The event's outcomes are its parts' outcomes in its mutations'
 * order; it fails if any part fails.
 *
 * <p>The node of a slot is the client's topology's: when it is out of date, the call fails as transient (MOVED, or a
 * key "non local" to the node) and is retried once the topology is read again. A tagged write registers in its tag's
 * index shard on the entry's slot ({@link TagAnnouncer}), so its call keeps to that node too.
 */
final class SlotSplit {
    private SlotSplit() {}

    /** One event's mutations that fall in one slot, and where they sit in the event. */
    private record Part(int event, List<Integer> positions, List<Mutation.EntryMutation> mutations) {}

    /**
     * @param nodeOfSlot names the node serving a slot (any name: calls are grouped by it)
     * @param oneCall    applies events whose keys are all on one node in one call
     */
    static List<CompletableFuture<List<ApplyOutcome>>> apply(List<RedisApplier.Event> events, IntFunction<String> nodeOfSlot,
            Function<List<RedisApplier.Event>, List<CompletableFuture<List<ApplyOutcome>>>> oneCall) {
        Map<String, List<Part>> byNode = new LinkedHashMap<>();
        for (int e = 0; e < events.size(); e++) {
            Map<String, Part> parts = new LinkedHashMap<>();
            List<Mutation.EntryMutation> mutations = events.get(e).mutations();
            for (int m = 0; m < mutations.size(); m++) {
                Mutation.EntryMutation mutation = mutations.get(m);
                String node = nodeOfSlot.apply(SlotTokens.slotOf(mutation.key().data()));
                int event = e;
                Part part = parts.computeIfAbsent(node, n -> new Part(event, new ArrayList<>(), new ArrayList<>()));
                part.positions().add(m);
                part.mutations().add(mutation);
            }
            parts.forEach((node, part) -> byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(part));
        }

        List<ApplyOutcome[]> outcomes = new ArrayList<>(events.size());
        List<List<CompletableFuture<Void>>> pending = new ArrayList<>(events.size());
        for (RedisApplier.Event event : events) {
            outcomes.add(new ApplyOutcome[event.mutations().size()]);
            pending.add(new ArrayList<>());
        }
        byNode.values().forEach(parts -> {
            List<RedisApplier.Event> call = new ArrayList<>(parts.size());
            parts.forEach(part -> call.add(new RedisApplier.Event(events.get(part.event()).stamp(), part.mutations())));
            List<CompletableFuture<List<ApplyOutcome>>> replies = oneCall.apply(call);
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                pending.get(part.event()).add(replies.get(i).thenAccept(reply -> {
                    for (int j = 0; j < reply.size(); j++) {
                        outcomes.get(part.event())[part.positions().get(j)] = reply.get(j);
                    }
                }));
            }
        });

        List<CompletableFuture<List<ApplyOutcome>>> results = new ArrayList<>(events.size());
        for (int e = 0; e < events.size(); e++) {
            ApplyOutcome[] eventOutcomes = outcomes.get(e);
            results.add(CompletableFuture.allOf(pending.get(e).toArray(CompletableFuture[]::new))
                    .thenApply(done -> List.of(eventOutcomes)));
        }
        return results;
    }
}
