package io.cachep.rules.reference;

import io.cachep.rules.Mutation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One entry folded from its writes in ANY order, as the library's fenced {@code apply} folds them in Redis
 * (docs/rules.md, "Fencing: the model"): the fence's registers ({@code v}, {@code d}, {@code x}, {@code xv},
 * {@code t}), a version per field and per member, the value, and the tags it was registered under. Where
 * {@link ModelEntry} needs every write of the entry, sorted, this needs only itself, so the log can be streamed through
 * it once and the entry kept on disk between writes ({@link StreamedProjection}).
 *
 * <p>Expiry and tag invalidation are decided when the entry is read ({@link #snapshot}), as {@link ReferenceProjection}
 * decides them, not when a write arrives: Redis drops an expired entry's content at once (docs/rules.md, "Expiry and
 * late events"), which only a log delivered out of order past the expiry can tell apart.
 */
public final class FencedEntry {
    /** An empty register (versions and times are never negative). */
    static final long NONE = Long.MIN_VALUE;

    long version = NONE;          // v: the last whole-entry write (upsert, delete)
    long expireAt = NONE;         // x
    long expireVersion = NONE;    // xv
    long lastWriteMillis = NONE;  // t
    EntrySnapshot.Type type;      // what the data key holds (null: nothing)
    final Map<String, String> hash = new HashMap<>();
    String string;
    final Map<String, Double> members = new HashMap<>(); // set members (score 0) or sorted-set scores
    final Map<String, Long> fieldVersions = new HashMap<>();
    final Map<String, Long> memberVersions = new HashMap<>();
    final Set<String> tags = new HashSet<>();

    /** Folds in one write of an event at {@code version}, dated {@code eventTimeMillis}. */
    public void apply(Mutation.EntryMutation mutation, long version, long eventTimeMillis) {
        mutation.tags().forEach(tag -> tags.add(tag.name()));
        mutation.accept(new Mutation.EntryVisitor<Void>() {
            @Override
            public Void upsert(Mutation.Upsert u) {
                touch(eventTimeMillis);
                expireIfNewer(version, u.expireAtMillis());
                if (fenced(version, FencedEntry.this.version)) {
                    return null;
                }
                Map<String, String> keptFields = clearOlderCells(version);
                if (u.hash() != null) {
                    u.hash().forEach((field, value) -> {
                        if (!keptFields.containsKey(field)) {
                            hash.put(field, value);
                        }
                    });
                    hash.putAll(withValues(keptFields));
                    if (!hash.isEmpty()) {
                        type = EntrySnapshot.Type.HASH;
                    }
                } else {
                    string = u.json();
                    type = EntrySnapshot.Type.STRING;
                }
                FencedEntry.this.version = version;
                return null;
            }

            @Override
            public Void merge(Mutation.Merge m) {
                touch(eventTimeMillis);
                expireIfNewer(version, m.expireAtMillis());
                if (fenced(version, FencedEntry.this.version)) {
                    return null;
                }
                m.fields().forEach((field, value) -> {
                    if (fenced(version, fieldVersions.getOrDefault(field, NONE))) {
                        return;
                    }
                    if (value == null) {
                        hash.remove(field);
                    } else {
                        hash.put(field, value);
                        type = EntrySnapshot.Type.HASH;
                    }
                    fieldVersions.put(field, version);
                });
                return null;
            }

            @Override
            public Void delete(Mutation.Delete d) {
                touch(eventTimeMillis);
                if (fenced(version, FencedEntry.this.version)) {
                    return null;
                }
                Map<String, String> keptFields = clearOlderCells(version);
                hash.putAll(withValues(keptFields));
                FencedEntry.this.version = version;
                // As of this version the entity is gone, expiry included (unless a newer event set one).
                if (!fenced(version, expireVersion)) {
                    expireAt = NONE;
                    expireVersion = version;
                }
                return null;
            }

            @Override
            public Void expire(Mutation.Expire x) {
                if (!fenced(version, expireVersion)) {
                    expireAt = x.expireAtMillis();
                    expireVersion = version;
                }
                return null;
            }

            @Override
            public Void member(Mutation.MemberWrite w) {
                touch(eventTimeMillis);
                if (w.kind().adds()) {
                    expireIfNewer(version, w.expireAtMillis());
                }
                if (fenced(version, FencedEntry.this.version)
                        || fenced(version, memberVersions.getOrDefault(w.member(), NONE))) {
                    return null;
                }
                switch (w.kind()) {
                    case SET_ADD -> {
                        members.put(w.member(), 0d);
                        type = EntrySnapshot.Type.SET;
                    }
                    case ZSET_ADD -> {
                        members.put(w.member(), w.score());
                        type = EntrySnapshot.Type.ZSET;
                    }
                    case SET_REMOVE, ZSET_REMOVE -> members.remove(w.member());
                }
                memberVersions.put(w.member(), version);
                return null;
            }
        });
    }

    /** True when a write at {@code version} loses to the register: the same version (duplicate) or older (stale). */
    private static boolean fenced(long version, long register) {
        return register != NONE && version <= register;
    }

    private void touch(long eventTimeMillis) {
        lastWriteMillis = Math.max(lastWriteMillis, eventTimeMillis);
    }

    /** The expiry register: an overwrite without an expiry keeps it, an older expiry never replaces a newer one. */
    private void expireIfNewer(long version, long expireAtMillis) {
        if (expireAtMillis != Mutation.NO_EXPIRY && !fenced(version, expireVersion)) {
            expireAt = expireAtMillis;
            expireVersion = version;
        }
    }

    /**
     * A whole-entry write at {@code version} replaces every field or member older than it; those written by newer
     * events survive with their values. Returns the surviving fields (value null when a newer merge removed it); the
     * surviving members stay in {@link #members}.
     */
    private Map<String, String> clearOlderCells(long version) {
        Map<String, String> keptFields = new HashMap<>();
        fieldVersions.entrySet().removeIf(cell -> {
            if (cell.getValue() > version) {
                keptFields.put(cell.getKey(), hash.get(cell.getKey()));
                return false;
            }
            return true;
        });
        memberVersions.values().removeIf(cellVersion -> cellVersion <= version);
        members.keySet().retainAll(memberVersions.keySet());
        hash.clear();
        string = null;
        EntrySnapshot.Type kept = members.isEmpty() ? null : type;
        type = keptFields.values().stream().anyMatch(v -> v != null) ? EntrySnapshot.Type.HASH : kept;
        return keptFields;
    }

    private static Map<String, String> withValues(Map<String, String> fields) {
        Map<String, String> present = new HashMap<>();
        fields.forEach((field, value) -> {
            if (value != null) {
                present.put(field, value);
            }
        });
        return present;
    }

    /** The tags this entry was registered under. */
    public Set<String> tags() {
        return tags;
    }

    /** The latest event time of a write (not an expire), for tag invalidation; {@link Long#MIN_VALUE} when none. */
    public long lastWriteMillis() {
        return lastWriteMillis;
    }

    /**
     * What a reader sees at {@code nowMillis}, or null when Redis holds nothing: no value, an empty hash or set, an
     * expiry passed, or one of its tags invalidated at or after its latest write ({@code invalidatedAt} says when a tag
     * was last invalidated, or null).
     */
    public EntrySnapshot snapshot(String key, long nowMillis, Function<String, Long> invalidatedAt) {
        if (type == null || expireAt != NONE && expireAt <= nowMillis) {
            return null;
        }
        for (String tag : tags) {
            Long at = invalidatedAt.apply(tag);
            if (at != null && at >= lastWriteMillis) {
                return null;
            }
        }
        Long expiry = expireAt == NONE ? null : expireAt;
        return switch (type) {
            case HASH -> hash.isEmpty() ? null : new EntrySnapshot(key, type, Map.copyOf(hash), expiry);
            case STRING -> string == null ? null : new EntrySnapshot(key, type, string, expiry);
            case SET -> members.isEmpty() ? null : new EntrySnapshot(key, type, Set.copyOf(members.keySet()), expiry);
            case ZSET -> members.isEmpty() ? null : new EntrySnapshot(key, type, Map.copyOf(members), expiry);
        };
    }
}
