package io.cachep.client;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Now and then compares a sample of the L1's fresh copies with Redis: the {@code cache_layer_divergence} signal, 0
 * while invalidation keeps the L1 true. A copy that differs is dropped (so the next read is right) and logged once.
 *
 * <p>A difference may only be an invalidation still on its way (the sample's read and the invalidation travel on two
 * connections), so a copy counts as divergent only if, once the link has caught up past the sample's read, no
 * invalidation of it arrived and the L1 still holds it.
 */
final class DivergenceSampler {
    private static final Logger log = LoggerFactory.getLogger(DivergenceSampler.class);
    private static final int LOGGED_KEYS = 1000;

    private final L1Cache l1;
    private final EntryReader reader;
    private final InvalidationSource link;
    private final ClientStats stats;
    private final int sampleSize;
    private final Duration timeout;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    DivergenceSampler(L1Cache l1, EntryReader reader, InvalidationSource link, ClientStats stats, int sampleSize,
                      Duration timeout) {
        this.l1 = l1;
        this.reader = reader;
        this.link = link;
        this.stats = stats;
        this.sampleSize = sampleSize;
        this.timeout = timeout;
    }

    /** Takes one sample; returns the number of divergent copies (also set on the stats). */
    int sample() {
        int divergent = 0;
        try {
            for (Map.Entry<String, Snapshot> copy : l1.sample(sampleSize)) {
                if (copy.getValue().epoch().live() && diverges(copy.getKey(), copy.getValue())) {
                    divergent++;
                }
            }
            stats.divergent(divergent);
        } catch (RuntimeException e) {
            log.debug("cachep-client: divergence sample skipped: {}", e.toString());
        }
        return divergent;
    }

    private boolean diverges(String entryKey, Snapshot copy) {
        L1Cache.Ticket ticket = l1.begin(entryKey);
        try {
            Snapshot inRedis = reader.redisOnly(entryKey).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (inRedis.sameAs(copy)) {
                return false;
            }
            link.catchUp().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (ticket.changedSince(l1) || l1.get(entryKey) != copy) {
                return false;  // an invalidation was on its way
            }
            l1.invalidate(entryKey);
            if (logged.size() < LOGGED_KEYS && logged.add(entryKey)) {
                log.warn("cachep-client: the L1 held {} at version {} but Redis has version {}; dropped the copy "
                        + "(an invalidation was lost)", entryKey, copy.version(), inRedis.version());
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw new IllegalStateException("Redis did not answer the sample's read of " + entryKey, e);
        } finally {
            l1.end(ticket);
        }
    }
}
