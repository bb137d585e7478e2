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

    /** Its operation in the table of operations. */
    Operation operation();

    /** Calls the visitor's method for this kind of mutation. */
    <R> R accept(Visitor<R> visitor);

    /**
     * Code that handles every kind of mutation implements this: a kind added to {@link Mutation} adds a method here,
     * so a place that forgot it does not compile.
     */
    interface Visitor<R> {
        R upsert(Upsert upsert);

        R merge(Merge merge);

        R delete(Delete delete);

        R expire(Expire expire);

        R member(MemberWrite member);

        R invalidateTag(InvalidateTag invalidateTag);
    }

    /** A visitor of entry mutations only: a tag invalidation is not one. */
    interface EntryVisitor<R> extends Visitor<R> {
        @Override
        default R invalidateTag(InvalidateTag invalidateTag) {
            throw new IllegalArgumentException("invalidate-tag is not a mutation of one entry");
        }
    }

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

        @Override
        public Operation operation() {
            return Operation.UPSERT;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.upsert(this);
        }
    }

    /** Sets ({@code value} non-null) or removes ({@code value} null) some fields of a hash, each fenced on its own. */
    record Merge(String rule, EntryKey key, Map<String, String> fields, long expireAtMillis, List<TagKey> tags)
            implements EntryMutation {
        public Merge {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            tags = List.copyOf(tags);
        }

        /** The fields it sets, with their values, in order. */
        public Map<String, String> setFields() {
            Map<String, String> set = new LinkedHashMap<>();
            fields.forEach((field, value) -> {
                if (value != null) {
                    set.put(field, value);
                }
            });
            return set;
        }

        /** The fields it removes (given with a null value), in order. */
        public List<String> removedFields() {
            return fields.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        }

        @Override
        public Operation operation() {
            return Operation.MERGE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.merge(this);
        }
    }

    /**
     * Removes the entry and leaves a tombstone so an older write cannot bring it back.
     *
     * @param channel a Redis pub/sub channel to publish the data key on (in-process L1 caches drop it), or null
     */
    record Delete(String rule, EntryKey key, String channel) implements EntryMutation {
        /** {@code invalidate} when it publishes the key, else {@code delete}. */
        @Override
        public Operation operation() {
            return channel == null ? Operation.DELETE : Operation.INVALIDATE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.delete(this);
        }
    }

    /** Sets the entry's expiry, fenced by version: an older expire never overrides a newer one. */
    record Expire(String rule, EntryKey key, long expireAtMillis) implements EntryMutation {
        @Override
        public Operation operation() {
            return Operation.EXPIRE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.expire(this);
        }
    }

    /** Adds or removes one member of a set or sorted set, fenced per member. */
    record MemberWrite(String rule, EntryKey key, MemberOperation kind, String member, double score,
                       long expireAtMillis, List<TagKey> tags) implements EntryMutation {
        public MemberWrite {
            tags = List.copyOf(tags);
        }

        @Override
        public Operation operation() {
            return kind.operation();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.member(this);
        }
    }

    /** The four member operations, each one of the table's {@link Operation}s. */
    enum MemberOperation {
        SET_ADD(Operation.SET_ADD), SET_REMOVE(Operation.SET_REMOVE), ZSET_ADD(Operation.ZSET_ADD),
        ZSET_REMOVE(Operation.ZSET_REMOVE);

        private final Operation operation;

        MemberOperation(Operation operation) {
            this.operation = operation;
        }

        public Operation operation() {
            return operation;
        }

        public String ruleName() {
            return operation.ruleName();
        }

        public boolean adds() {
            return operation.isWrite();
        }

        public static MemberOperation of(Operation operation) {
            for (MemberOperation op : values()) {
                if (op.operation == operation) {
                    return op;
                }
            }
            throw new IllegalArgumentException("not a member operation: " + operation.ruleName());
        }
    }

    /** Drops every entry registered under the tag whose writes are no newer (in event time) than this event. */
    record InvalidateTag(String rule, TagKey tag) implements Mutation {
        @Override
        public Operation operation() {
            return Operation.INVALIDATE_TAG;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.invalidateTag(this);
        }
    }
}
