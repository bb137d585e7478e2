package io.cachep.apply;

import io.cachep.rules.Mutation;
import io.cachep.rules.SlotTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A batch cut into one call per Redis Cluster slot, since a function's keys must share a slot (else CROSSSLOT).
 * Each event keeps its place in every slot's call, so one entry's events still apply in log order; an event whose
 * mutations span slots (a session and its user's session set) is applied in parts, one per slot, each fenced on its
 * own entries, so a retry after a partial failure re-applies what was missed and finds the rest a duplicate. The
 * event's outcomes are its parts' outcomes in its mutations' order; it fails if any part fails.
 *
 * <p>A tagged write registers in its tag's index shard on the entry's slot ({@link TagAnnouncer}), so its call keeps
 * to that slot too.
 */
final class SlotSplit {
    private SlotSplit() {}

    /** One event's mutations that fall in one slot, and where they sit in the event. */
    private record Part(int event, List<Integer> positions, List<Mutation.EntryMutation> mutations) {}

    static List<CompletableFuture<List<ApplyOutcome>>> apply(List<RedisApplier.Event> events,
            Function<List<RedisApplier.Event>, List<CompletableFuture<List<ApplyOutcome>>>> oneCall) {
        Map<Integer, List<Part>> bySlot = new LinkedHashMap<>();
        for (int e = 0; e < events.size(); e++) {
            Map<Integer, Part> parts = new LinkedHashMap<>();
            List<Mutation.EntryMutation> mutations = events.get(e).mutations();
            for (int m = 0; m < mutations.size(); m++) {
                Mutation.EntryMutation mutation = mutations.get(m);
                int slot = SlotTokens.slotOf(mutation.key().data());
                int event = e;
                Part part = parts.computeIfAbsent(slot, s -> new Part(event, new ArrayList<>(), new ArrayList<>()));
                part.positions().add(m);
                part.mutations().add(mutation);
            }
            parts.forEach((slot, part) -> bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(part));
        }

        List<ApplyOutcome[]> outcomes = new ArrayList<>(events.size());
        List<List<CompletableFuture<Void>>> pending = new ArrayList<>(events.size());
        for (RedisApplier.Event event : events) {
            outcomes.add(new ApplyOutcome[event.mutations().size()]);
            pending.add(new ArrayList<>());
        }
        bySlot.values().forEach(parts -> {
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
