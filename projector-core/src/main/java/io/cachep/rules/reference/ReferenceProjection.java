package io.cachep.rules.reference;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.TagKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Redis must hold after a log of events, computed the simple way: each event once (duplicates dropped by id),
 * each entry's writes applied in {@code entityversion} order, then entries whose expiry has passed or whose tags were
 * invalidated after their last write removed. The projector gets there by another road (fenced writes in whatever
 * order the log delivers them); tests, {@code verify} and {@code rebuild} compare the two.
 *
 * <p>Pure: no Redis, no Kafka, no clock (the caller says what "now" is).
 */
public final class ReferenceProjection {
    private final RuleEngine engine;

    public ReferenceProjection(RuleEngine engine) {
        this.engine = engine;
    }

    /** An event as read from the log. */
    public record LoggedEvent(String topic, EventEnvelope event) {}

    /** One rendered write of one event, in the order the model applies it. */
    private record Write(long version, long timeMillis, int sequence, Mutation.EntryMutation mutation) {}

    /** The expected entries by key, data keys only. Poison events are left out, as the projector dead-letters them. */
    public Map<String, EntrySnapshot> project(List<LoggedEvent> log, long nowMillis) {
        Map<String, List<Write>> writesByKey = new LinkedHashMap<>();
        Map<String, Long> invalidatedAt = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int sequence = 0;
        for (LoggedEvent logged : log) {
            EventEnvelope event = logged.event();
            if (!seen.add(event.id())) {
                continue;
            }
            List<Mutation> mutations;
            try {
                mutations = engine.project(logged.topic(), event);
            } catch (PoisonEventException poison) {
                continue;
            }
            for (Mutation mutation : mutations) {
                if (mutation instanceof Mutation.EntryMutation entry) {
                    writesByKey.computeIfAbsent(entry.key().data(), k -> new ArrayList<>()).add(
                            new Write(event.entityVersion(), event.time().toEpochMilli(), sequence++, entry));
                } else {
                    TagKey tag = ((Mutation.InvalidateTag) mutation).tag();
                    invalidatedAt.merge(tag.name(), event.time().toEpochMilli(), Math::max);
                }
            }
        }
        Map<String, EntrySnapshot> expected = new TreeMap<>();
        writesByKey.forEach((key, writes) -> {
            writes.sort(Comparator.comparingLong(Write::version).thenComparingInt(Write::sequence));
            ModelEntry entry = new ModelEntry();
            writes.forEach(w -> entry.apply(w.mutation(), w.timeMillis()));
            if (entry.isInvalidated(invalidatedAt) || entry.isExpired(nowMillis)) {
                return;
            }
            EntrySnapshot snapshot = entry.snapshot(key);
            if (snapshot != null) {
                expected.put(key, snapshot);
            }
        });
        return expected;
    }
}
