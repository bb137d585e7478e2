package io.cachep.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Redis write an event asks for, rendered and ready to apply. Each names the rule it came from (for metrics
 * and the DLQ). The version fence is the event's {@code entityversion}; see docs/rules.md for each operation's
 * fencing.
 */
public sealed interface Mutation permits Mutation.EntryMutation, Mutation.InvalidateTag {

    /** Sentinel for "this write sets no expiry of its own". */
    long NO_EXPIRY = -1L;

    String rule();

    /** A mutation of one entry (one Redis key and its fence). */
    sealed interface EntryMutation extends Mutation permits Upsert, Merge, Delete, Expire, MemberWrite {
        EntryKey key();

        /** The tags this write registers the key under (none for deletes and expires). */
        default List<TagKey> tags() {
            return List.of();
        }
    }

    /**
     * Replaces the whole entry with a hash ({@code hash} non-null) or a string ({@code json} non-null).
     *
     * @param expireAtMillis absolute expiry in epoch millis from event time, or {@link #NO_EXPIRY} to keep the
     *                       entry's current expiry (an overwrite never drops a TTL)
     */
    record Upsert(String rule, EntryKey key, Map<String, String> hash, String json, long expireAtMillis, List<TagKey> tags)
            implements EntryMutation {
        public Upsert {
            if ((hash == null) == (json == null)) {
                throw new IllegalArgumentException("an upsert writes either a hash or a string, not both or neither");
            }
            hash = hash == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(hash));
            tags = List.copyOf(tags);
        }
    }

    /** Sets ({@code value} non-null) or removes ({@code value} null) some fields of a hash, each fenced on its own. */
    record Merge(String rule, EntryKey key, Map<String, String> fields, long expireAtMillis, List<TagKey> tags)
            implements EntryMutation {
        public Merge {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            tags = List.copyOf(tags);
        }
    }

    /**
     * Removes the entry and leaves a tombstone so an older write cannot bring it back.
     *
     * @param channel a Redis pub/sub channel to publish the data key on (in-process L1 caches drop it), or null
     */
    record Delete(String rule, EntryKey key, String channel) implements EntryMutation {}

    /** Sets the entry's expiry, fenced by version: an older expire never overrides a newer one. */
    record Expire(String rule, EntryKey key, long expireAtMillis) implements EntryMutation {}

    /** Adds or removes one member of a set or sorted set, fenced per member. */
    record MemberWrite(String rule, EntryKey key, MemberOperation operation, String member, double score,
                       long expireAtMillis, List<TagKey> tags) implements EntryMutation {
        public MemberWrite {
            tags = List.copyOf(tags);
        }
    }

    /** The four member operations and the Redis type each writes. */
    enum MemberOperation {
        SET_ADD("set-add", "set"), SET_REMOVE("set-remove", "set"), ZSET_ADD("zset-add", "zset"),
        ZSET_REMOVE("zset-remove", "zset");

        private final String ruleName;
        private final String redisType;

        MemberOperation(String ruleName, String redisType) {
            this.ruleName = ruleName;
            this.redisType = redisType;
        }

        public String ruleName() {
            return ruleName;
        }

        public String redisType() {
            return redisType;
        }

        public boolean adds() {
            return this == SET_ADD || this == ZSET_ADD;
        }

        public static MemberOperation of(String ruleName) {
            for (MemberOperation op : values()) {
                if (op.ruleName.equals(ruleName)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("not a member operation: " + ruleName);
        }
    }

    /** Drops every entry registered under the tag whose writes are no newer (in event time) than this event. */
    record InvalidateTag(String rule, TagKey tag) implements Mutation {}
}
