package io.cachep.rules.reference;

import io.cachep.rules.Mutation;
import io.cachep.rules.Operation;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One entry of the reference model while its writes are applied in version order. */
final class ModelEntry {
    private EntrySnapshot.Type type;
    private final Map<String, String> hash = new LinkedHashMap<>();
    private String string;
    private final Set<String> members = new LinkedHashSet<>();
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private Long expireAt;
    private long lastWriteMillis = Long.MIN_VALUE;
    private final Set<String> tags = new LinkedHashSet<>();

    void apply(Mutation.EntryMutation mutation, long eventTimeMillis) {
        mutation.tags().forEach(tag -> tags.add(tag.name()));
        if (mutation.operation() != Operation.EXPIRE) {
            lastWriteMillis = Math.max(lastWriteMillis, eventTimeMillis);
        }
        mutation.accept(new Mutation.EntryVisitor<Void>() {
            @Override
            public Void upsert(Mutation.Upsert u) {
                clear();
                if (u.hash() != null) {
                    type = EntrySnapshot.Type.HASH;
                    hash.putAll(u.hash());
                } else {
                    type = EntrySnapshot.Type.STRING;
                    string = u.json();
                }
                expireIfGiven(u.expireAtMillis());
                return null;
            }

            @Override
            public Void merge(Mutation.Merge m) {
                type = EntrySnapshot.Type.HASH;
                m.fields().forEach((field, value) -> {
                    if (value == null) {
                        hash.remove(field);
                    } else {
                        hash.put(field, value);
                    }
                });
                expireIfGiven(m.expireAtMillis());
                return null;
            }

            @Override
            public Void delete(Mutation.Delete d) {
                clear();
                expireAt = null;
                return null;
            }

            @Override
            public Void expire(Mutation.Expire x) {
                expireAt = x.expireAtMillis();
                return null;
            }

            @Override
            public Void member(Mutation.MemberWrite w) {
                ModelEntry.this.member(w);
                return null;
            }
        });
    }

    private void member(Mutation.MemberWrite w) {
        switch (w.kind()) {
            case SET_ADD -> {
                type = EntrySnapshot.Type.SET;
                members.add(w.member());
            }
            case SET_REMOVE -> members.remove(w.member());
            case ZSET_ADD -> {
                type = EntrySnapshot.Type.ZSET;
                scores.put(w.member(), w.score());
            }
            case ZSET_REMOVE -> scores.remove(w.member());
        }
        if (w.kind().adds()) {
            expireIfGiven(w.expireAtMillis());
        }
    }

    /** An overwrite without an expiry of its own keeps the entry's expiry. */
    private void expireIfGiven(long expireAtMillis) {
        if (expireAtMillis != Mutation.NO_EXPIRY) {
            expireAt = expireAtMillis;
        }
    }

    private void clear() {
        hash.clear();
        string = null;
        members.clear();
        scores.clear();
    }

    boolean isExpired(long nowMillis) {
        return expireAt != null && expireAt <= nowMillis;
    }

    /** True when one of the entry's tags was invalidated at or after its last write (in event time). */
    boolean isInvalidated(Map<String, Long> invalidatedAt) {
        for (String tag : tags) {
            Long at = invalidatedAt.get(tag);
            if (at != null && at >= lastWriteMillis) {
                return true;
            }
        }
        return false;
    }

    /** What a reader sees, or null when Redis holds nothing (no value, or an empty hash or set). */
    EntrySnapshot snapshot(String key) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case HASH -> hash.isEmpty() ? null : new EntrySnapshot(key, type, Map.copyOf(hash), expireAt);
            case STRING -> string == null ? null : new EntrySnapshot(key, type, string, expireAt);
            case SET -> members.isEmpty() ? null : new EntrySnapshot(key, type, Set.copyOf(members), expireAt);
            case ZSET -> scores.isEmpty() ? null : new EntrySnapshot(key, type, Map.copyOf(scores), expireAt);
        };
    }
}
