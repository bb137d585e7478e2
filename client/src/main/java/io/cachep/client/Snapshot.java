package io.cachep.client;

import java.util.Objects;

/**
 * An entry as one read saw it in Redis, as the L1 keeps it.
 *
 * @param type           its Redis type ({@link EntryType#NONE} when absent)
 * @param value          hash: an unmodifiable {@code Map<String, String>}; string: the text; set: an unmodifiable
 *                       {@code Set<String>}; sorted set: an unmodifiable {@code List<ScoredMember>}; null when absent
 * @param version        the highest version its fence records, or null without a fence
 * @param readAtNanos    {@link System#nanoTime()} when the read was sent: the copy was true at least then
 * @param expiresAtNanos when Redis expires it, on this JVM's {@code nanoTime} clock; {@link Long#MAX_VALUE} for never
 * @param epoch          the invalidation link's epoch the read was sent in: the copy is kept true only while that
 *                       epoch is live
 */
record Snapshot(EntryType type, Object value, Long version, long readAtNanos, long expiresAtNanos,
                TrackingEpoch epoch) {
    /** Whether this copy says the same as another of the same entry (ignoring when and how each was read). */
    boolean sameAs(Snapshot other) {
        return type == other.type && Objects.equals(value, other.value) && Objects.equals(version, other.version);
    }

    /** When this copy was last known to be true: when it was read, or the link's last confirmation after that. */
    long verifiedAtNanos() {
        return Math.max(readAtNanos, epoch.confirmedAtNanos());
    }

    /** Whether {@code candidate} is an older version than this copy (then the L1 keeps this one). */
    boolean newerThan(Snapshot candidate) {
        return version != null && candidate.version != null && candidate.version < version;
    }
}
