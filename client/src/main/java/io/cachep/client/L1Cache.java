package io.cachep.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process copies of entries (Caffeine, bounded by entry count), each expiring when Redis expires the entry.
 *
 * <p><b>Reads racing invalidations.</b> A read and the invalidation of a write that follows it travel on two
 * connections, so the invalidation may be handled before the read's reply: filling the L1 with that reply then would
 * keep the overwritten value until the next change. So every read to fill the L1 takes a {@link Ticket} before it is
 * sent; an invalidation of the key (or a flush) marks the key's tickets before it removes the copy, and a fill only
 * lands if its ticket is unmarked, checked atomically with the put. Marking happens before removal, so a fill either
 * sees the mark or is removed after it.
 *
 * <p><b>Monotonic.</b> A fill never replaces a copy of a newer version.
 */
final class L1Cache {
    private final Cache<String, Snapshot> copies;
    private final Map<String, Set<Ticket>> inflight = new ConcurrentHashMap<>();
    private final AtomicLong flushes = new AtomicLong();

    L1Cache(long maxEntries) {
        this.copies = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new UntilRedisExpires()).build();
    }

    /** The copy of an entry, if the L1 has one that has not expired. */
    Snapshot get(String entryKey) {
        return copies.getIfPresent(entryKey);
    }

    /** Registers a read of {@code entryKey} about to be sent. */
    Ticket begin(String entryKey) {
        Ticket ticket = new Ticket(entryKey, flushes.get());
        inflight.compute(entryKey, (key, tickets) -> {
            Set<Ticket> all = tickets == null ? new HashSet<>() : tickets;
            all.add(ticket);
            return all;
        });
        return ticket;
    }

    /** Keeps what a read returned, unless the entry changed since the read was sent or the L1 has a newer version. */
    void fill(Ticket ticket, Snapshot read) {
        copies.asMap().compute(ticket.entryKey, (key, held) -> {
            if (ticket.changed || flushes.get() != ticket.flushesAtBegin) {
                return held;
            }
            return held != null && held.newerThan(read) ? held : read;
        });
    }

    /** The read of a ticket is done (filled or not). */
    void end(Ticket ticket) {
        inflight.computeIfPresent(ticket.entryKey, (key, tickets) -> {
            tickets.remove(ticket);
            return tickets.isEmpty() ? null : tickets;
        });
    }

    /** An entry changed in Redis: its copy goes, and reads of it in flight will not fill. */
    void invalidate(String entryKey) {
        inflight.computeIfPresent(entryKey, (key, tickets) -> {
            tickets.forEach(Ticket::markChanged);
            return tickets;
        });
        copies.invalidate(entryKey);
    }

    /** Redis was flushed (or the client cannot know what changed): every copy goes. */
    void flush() {
        flushes.incrementAndGet();
        copies.invalidateAll();
    }

    /** Up to {@code limit} copies, for the divergence sample. */
    List<Map.Entry<String, Snapshot>> sample(int limit) {
        List<Map.Entry<String, Snapshot>> sample = new ArrayList<>(Math.min(limit, 1024));
        for (Map.Entry<String, Snapshot> copy : copies.asMap().entrySet()) {
            if (sample.size() >= limit) {
                break;
            }
            sample.add(Map.entry(copy.getKey(), copy.getValue()));
        }
        return sample;
    }

    long size() {
        return copies.estimatedSize();
    }

    /** A read of one entry in flight. */
    static final class Ticket {
        private final String entryKey;
        private final long flushesAtBegin;
        private volatile boolean changed;

        private Ticket(String entryKey, long flushesAtBegin) {
            this.entryKey = entryKey;
            this.flushesAtBegin = flushesAtBegin;
        }

        private void markChanged() {
            changed = true;
        }

        /** Whether the entry changed (or the L1 was flushed) since the read was sent. */
        boolean changedSince(L1Cache l1) {
            return changed || l1.flushes.get() != flushesAtBegin;
        }
    }

    /** A copy expires when Redis expires its entry (PTTL at read time, on this JVM's clock); absent entries do not. */
    private static final class UntilRedisExpires implements Expiry<String, Snapshot> {
        @Override
        public long expireAfterCreate(String key, Snapshot copy, long currentTime) {
            return remaining(copy, currentTime);
        }

        @Override
        public long expireAfterUpdate(String key, Snapshot copy, long currentTime, long currentDuration) {
            return remaining(copy, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Snapshot copy, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private static long remaining(Snapshot copy, long now) {
            return copy.expiresAtNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, copy.expiresAtNanos() - now);
        }
    }
}
