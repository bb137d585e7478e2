package io.cachep.recovery;

import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.WindowedApply;
import io.cachep.errors.PoisonEventException;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.modelstore.DiskEntryStore;
import io.cachep.rules.EntryKey;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.text.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Repairs the entries verify flagged, through the fenced path: each entry and its fence are removed together, then the
 * log is read once more and every write it holds for those entries (and every tag invalidation) is applied again, in
 * log order; the fence makes the order irrelevant. Writes of other entries are left alone; a projector writing the
 * same entry meanwhile is safe: a write it applies after the reset wins the fence or loses it as it should, and one
 * applied before is in the log the repair reads. Works the same on a Redis Cluster: an
 * entry and its fence share a slot, and the applier keeps every call to one node.
 */
public final class StreamedRepair {
    private static final int RESET_BATCH = 500;

    private final RuleEngine engine;
    private final RedisTarget redis;
    private final DiskEntryStore flagged;
    private final PrintWriter err;

    public StreamedRepair(RuleEngine engine, RedisTarget redis, DiskEntryStore flagged, PrintWriter err) {
        this.engine = engine;
        this.redis = redis;
        this.flagged = flagged;
        this.err = err;
    }

    /**
     * Resets the flagged entries, then re-applies their writes from the log up to its end as it is after the reset.
     * Not up to an end taken before: a projector's write of the entry applied before the reset (its record already in
     * the log, maybe past an earlier end) would be removed with the entry and never applied again, and a delete of it
     * would lose its tombstone, so the entry could come back.
     *
     * @return the entries reset and re-applied
     */
    public long repair(LogReader reader, Duration retryFor) {
        long reset = reset();
        Map<TopicPartition, Long> ends = reader.endOffsets(engine.rules().topics());
        RedisApplier applier = new RedisApplier(redis, engine.rules().tombstoneRetention(), engine.layout());
        WindowedApply writes = new WindowedApply(applier, retryFor, err, outcome -> {});
        Progress progress = new Progress(err, "re-applying the log to " + reset + " entries", reader.count(ends));
        LoggedEvents events = new LoggedEvents();
        long[] read = {0};
        reader.readUpTo(ends, record -> events.of(record).ifPresent(logged -> {
            List<Mutation> mine = new ArrayList<>();
            try {
                for (Mutation m : engine.project(logged.topic(), logged.event())) {
                    if (m instanceof Mutation.InvalidateTag
                            || m instanceof Mutation.EntryMutation e && flagged.isFlagged(e.key().data())) {
                        mine.add(m);
                    }
                }
            } catch (PoisonEventException poison) {
                return;
            }
            writes.apply(EventStamp.of(logged.event()), mine);
        }), n -> progress.update(read[0] = n));
        writes.drain();
        progress.finish(read[0]);
        return reset;
    }

    /** Removes each flagged entry and its fence (one atomic DEL: same hash tag, so one slot), pipelined. */
    private long reset() {
        long[] count = {0};
        List<CompletableFuture<Long>> window = new ArrayList<>();
        flagged.forEachFlagged(key -> {
            EntryKey entry = engine.layout().entryOfDataKey(key);
            window.add(redis.async().del(entry.data(), entry.fence()).toCompletableFuture());
            count[0]++;
            if (window.size() >= RESET_BATCH) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        });
        window.forEach(CompletableFuture::join);
        return count[0];
    }
}
