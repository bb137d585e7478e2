package io.cachep.rules.reference;

import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The reference projection computed as the log streams by, in memory independent of the log's length: each event's
 * writes are folded into their entries' state ({@link FencedEntry}) in whatever order they come, duplicates included,
 * and nothing else is kept. At the end it holds what {@link ReferenceProjection#project} computes from the whole log
 * (checked on generated logs by {@code StreamedProjectionTest}); where that needs every write of an entry, sorted, this
 * needs only the entry, and the store may keep it on disk.
 */
public final class StreamedProjection {
    private final RuleEngine engine;
    private final EntryStore store;
    private long events;
    private long poison;

    public StreamedProjection(RuleEngine engine, EntryStore store) {
        this.engine = engine;
        this.store = store;
    }

    /** Folds in one event of the log; a poison event is counted and left out, as the projector dead-letters it. */
    public void add(String topic, EventEnvelope event) {
        add(topic, event, key -> {});
    }

    /**
     * As {@link #add(String, EventEnvelope)}, naming each entry the event writes to {@code written}; a tag
     * invalidation names none (the entries it drops are decided when they are read), so it is only said.
     *
     * @return whether the event invalidated a tag
     */
    public boolean add(String topic, EventEnvelope event, Consumer<String> written) {
        events++;
        List<Mutation> mutations;
        try {
            mutations = engine.project(topic, event);
        } catch (PoisonEventException e) {
            poison++;
            return false;
        }
        boolean invalidated = false;
        long version = event.entityVersion();
        long time = event.time().toEpochMilli();
        for (Mutation mutation : mutations) {
            if (mutation instanceof Mutation.EntryMutation write) {
                written.accept(write.key().data());
            } else {
                invalidated = true;
            }
            fold(mutation, version, time);
        }
        return invalidated;
    }

    /**
     * Folds in one of an event's mutations, with the event's version and time: the one place the model's state
     * changes. {@link #add} folds every mutation of an event; a caller that splits an event's mutations among several
     * stores (the shares of {@code verify --run}) folds each where it belongs.
     */
    public void fold(Mutation mutation, long version, long eventTimeMillis) {
        if (mutation instanceof Mutation.EntryMutation write) {
            String key = write.key().data();
            FencedEntry entry = store.get(key);
            if (entry == null) {
                entry = new FencedEntry();
            }
            entry.apply(write, version, eventTimeMillis);
            store.put(key, entry);
        } else {
            store.invalidate(((Mutation.InvalidateTag) mutation).tag().name(), eventTimeMillis);
        }
    }

    /** What the entry should hold at {@code nowMillis}, or null when Redis should hold nothing under the key. */
    public EntrySnapshot expected(String key, long nowMillis) {
        FencedEntry entry = store.get(key);
        return entry == null ? null : entry.snapshot(key, nowMillis, store::invalidatedAt);
    }

    /** Every entry the log implies at {@code nowMillis}, in key order (the entries whose snapshot is not null). */
    public void forEachExpected(long nowMillis, BiConsumer<String, EntrySnapshot> action) {
        store.forEach((key, entry) -> {
            EntrySnapshot snapshot = entry.snapshot(key, nowMillis, store::invalidatedAt);
            if (snapshot != null) {
                action.accept(key, snapshot);
            }
        });
    }

    /**
     * A slice of the entries the log has written, at most {@code limit} after the key {@code after} (null: from the
     * first), each with what it should hold at {@code nowMillis} (null: nothing, expired or invalidated).
     *
     * @return the last key visited, to continue after; null once the slice reached the last entry
     */
    public String forEachWrittenAfter(String after, int limit, long nowMillis, BiConsumer<String, EntrySnapshot> action) {
        return store.forEachAfter(after, limit, (key, entry) ->
                action.accept(key, entry.snapshot(key, nowMillis, store::invalidatedAt)));
    }

    /** Events folded in so far, poison included. */
    public long events() {
        return events;
    }

    /** Poison events left out so far. */
    public long poison() {
        return poison;
    }
}
