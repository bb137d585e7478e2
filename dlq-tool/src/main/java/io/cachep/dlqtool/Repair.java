package io.cachep.dlqtool;

import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisTarget;
import io.cachep.rules.EntryKey;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Repairs divergent entries through the fenced path: each entry and its fence are removed together, then every
 * write the log holds for that entry is applied again in version order. Writes of other entries are left alone; a
 * projector writing the same entry meanwhile is safe, since its newer writes win the fence either way. Works the same on
 * a Redis Cluster: an entry and its fence share a slot, and the applier keeps every call to one slot.
 */
final class Repair {
    private final RuleEngine engine;
    private final RedisTarget redis;

    Repair(RuleEngine engine, RedisTarget redis) {
        this.engine = engine;
        this.redis = redis;
    }

    /** @return the number of entries reset and re-applied */
    int repair(List<Divergence> divergences, List<LoggedEvent> log) {
        Set<String> keys = new HashSet<>();
        divergences.forEach(d -> keys.add(d.key()));
        for (String key : keys) {
            EntryKey entry = engine.layout().entryOfDataKey(key);
            redis.sync().del(entry.data(), entry.fence()); // same hash tag, so one slot: one atomic command
        }
        // On a Redis Cluster the applier keeps each call to one slot and registers tags in per-slot shards.
        RedisApplier applier = new RedisApplier(redis, engine.rules().tombstoneRetention(), engine.layout());
        log.stream()
                .sorted(Comparator.comparingLong(logged -> logged.event().entityVersion()))
                .forEach(logged -> {
                    List<Mutation> mine;
                    try {
                        mine = engine.project(logged.topic(), logged.event()).stream()
                                .filter(m -> m instanceof Mutation.EntryMutation e && keys.contains(e.key().data())
                                        || m instanceof Mutation.InvalidateTag)
                                .toList();
                    } catch (io.cachep.errors.PoisonEventException poison) {
                        return;
                    }
                    if (!mine.isEmpty()) {
                        applier.apply(EventStamp.of(logged.event()), mine).join();
                    }
                });
        return keys.size();
    }
}
