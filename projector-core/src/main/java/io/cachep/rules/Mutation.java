package io.cachep.rules;

import java.util.Map;

/**
 * One Redis write an event asks for, rendered and ready to apply. Each names the rule it came from (for metrics and
 * the DLQ) and the entry it writes. The version fence is the event's {@code entityversion}.
 */
public sealed interface Mutation permits Mutation.Upsert, Mutation.Delete {

    /** Sentinel for "this write sets no expiry of its own". */
    long NO_EXPIRY = -1L;

    String rule();

    EntryKey key();

    /**
     * Replaces the whole entry with a hash ({@code hash} non-null) or a string ({@code json} non-null).
     *
     * @param expireAtMillis absolute expiry in epoch millis computed from event time, or {@link #NO_EXPIRY} to keep
     *                       the entry's current expiry (an overwrite never drops a TTL)
     */
    record Upsert(String rule, EntryKey key, Map<String, String> hash, String json, long expireAtMillis)
            implements Mutation {
        public Upsert {
            if ((hash == null) == (json == null)) {
                throw new IllegalArgumentException("an upsert writes either a hash or a string, not both or neither");
            }
            hash = hash == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hash));
        }
    }

    /**
     * Removes the entry and leaves a tombstone so an older write cannot bring it back.
     *
     * @param channel a Redis pub/sub channel to publish the data key on (in-process L1 caches drop it), or null
     */
    record Delete(String rule, EntryKey key, String channel) implements Mutation {}
}
