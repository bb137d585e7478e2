package io.cachep.rules.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One way Redis differs from the reference projection of the log.
 *
 * @param expected what the model says (null for an extra entry)
 * @param actual   what Redis holds (null for a missing entry)
 */
public record Divergence(Kind kind, String key, EntrySnapshot expected, EntrySnapshot actual) {
    /**
     * How far an entry's expiry may be from the model's and still count as the same. cachep writes absolute expiries
     * ({@code PEXPIREAT}), but Redis Cluster moves a key between nodes ({@code MIGRATE}, when slots are resharded) with
     * its remaining time to live, so the key lands with its expiry shifted by the transfer's milliseconds. A real
     * divergence (a missed or wrong expiry) is off by the rule's TTL or an event's time, far more than this.
     */
    public static final long EXPIRY_TOLERANCE_MILLIS = 1_000;

    public enum Kind {
        /** The model has the entry; Redis does not. */
        MISSING,
        /** Redis has an entry the model does not. */
        EXTRA,
        /** Redis holds another type (a hash where the model has a string, say). */
        DIFFERENT_TYPE,
        /** Same type, different value (hash fields, string). */
        DIFFERENT_VALUE,
        /** A set or sorted set with other members or scores. */
        DIFFERENT_MEMBERS,
        /** Same value, another expiry. */
        DIFFERENT_EXPIRY
    }

    /** Every divergence between two snapshots of a namespace, by key. */
    public static List<Divergence> between(Map<String, EntrySnapshot> expected, Map<String, EntrySnapshot> actual) {
        List<Divergence> found = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            EntrySnapshot e = expected.get(key);
            EntrySnapshot a = actual.get(key);
            Kind kind = compare(e, a);
            if (kind != null) {
                found.add(new Divergence(kind, key, e, a));
            }
        }
        return found;
    }

    /** How an entry differs from the model, or null when it does not (both null: nothing expected, nothing there). */
    public static Kind compare(EntrySnapshot expected, EntrySnapshot actual) {
        if (actual == null) {
            return expected == null ? null : Kind.MISSING;
        }
        if (expected == null) {
            return Kind.EXTRA;
        }
        if (expected.type() != actual.type()) {
            return Kind.DIFFERENT_TYPE;
        }
        if (!expected.value().equals(actual.value())) {
            boolean members = expected.type() == EntrySnapshot.Type.SET || expected.type() == EntrySnapshot.Type.ZSET;
            return members ? Kind.DIFFERENT_MEMBERS : Kind.DIFFERENT_VALUE;
        }
        if (!sameExpiry(expected.expireAtMillis(), actual.expireAtMillis())) {
            return Kind.DIFFERENT_EXPIRY;
        }
        return null;
    }

    private static boolean sameExpiry(Long expected, Long actual) {
        if (expected == null || actual == null) {
            return Objects.equals(expected, actual);
        }
        return Math.abs(expected - actual) <= EXPIRY_TOLERANCE_MILLIS;
    }
}
