package io.cachep.dlqtool.verify;

import io.cachep.apply.RedisSnapshots;
import io.cachep.apply.RedisTarget;
import io.cachep.rules.KeyLayout;
import io.cachep.rules.reference.Divergence;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.scan.KeyScan;
import io.cachep.text.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Compares a namespace in Redis with a {@link StreamedProjection} of the log, in bounded memory: first every entry the
 * log implies, in batches read from Redis pipelined (missing or different), then every data key Redis holds, scanned
 * (on a cluster, on every primary), for those the log does not imply (extra).
 */
public final class EntryComparison {
    static final int BATCH = 500;

    private final RedisTarget redis;
    private final KeyLayout layout;
    private final StreamedProjection projection;
    private final PrintWriter err;
    private final Predicate<String> owns;

    public EntryComparison(RedisTarget redis, KeyLayout layout, StreamedProjection projection, PrintWriter err) {
        this(redis, layout, projection, err, key -> true);
    }

    /**
     * @param owns which data keys this comparison answers for when it looks for extra keys: all of them, or (for one
     *             share of {@code verify --run}) those of its share, so that each extra key is reported once
     */
    public EntryComparison(RedisTarget redis, KeyLayout layout, StreamedProjection projection, PrintWriter err,
                           Predicate<String> owns) {
        this.redis = redis;
        this.layout = layout;
        this.projection = projection;
        this.err = err;
        this.owns = owns;
    }

    /**
     * Hands each divergence to {@code divergent} as it is found.
     *
     * @return the entries the log implies at {@code nowMillis}
     */
    public long compare(long nowMillis, Consumer<Divergence> divergent) {
        long[] implied = {0};
        Progress progress = new Progress(err, "comparing entries with Redis", 0);
        Map<String, EntrySnapshot> batch = new LinkedHashMap<>();
        projection.forEachExpected(nowMillis, (key, expected) -> {
            batch.put(key, expected);
            if (batch.size() >= BATCH) {
                compareImplied(batch, divergent);
                progress.update(implied[0] += batch.size());
                batch.clear();
            }
        });
        compareImplied(batch, divergent);
        progress.finish(implied[0] += batch.size());

        Progress scanned = new Progress(err, "scanning Redis for entries the log does not imply", 0);
        long[] keys = {0};
        KeyScan.batches(redis, layout.scanPattern(), "0", BATCH, (found, next) -> {
            List<String> unexpected = new ArrayList<>();
            for (String key : found) {
                if (!layout.isMetadata(key) && owns.test(key) && projection.expected(key, nowMillis) == null) {
                    unexpected.add(key);
                }
            }
            RedisSnapshots.readAll(redis.async(), unexpected).forEach((key, actual) ->
                    divergent.accept(new Divergence(Divergence.Kind.EXTRA, key, null, actual)));
            scanned.update(keys[0] += found.size());
        });
        scanned.finish(keys[0]);
        return implied[0];
    }

    private void compareImplied(Map<String, EntrySnapshot> batch, Consumer<Divergence> divergent) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, EntrySnapshot> actual = RedisSnapshots.readAll(redis.async(), batch.keySet());
        batch.forEach((key, expected) -> {
            EntrySnapshot there = actual.get(key);
            Divergence.Kind kind = Divergence.compare(expected, there);
            if (kind != null) {
                divergent.accept(new Divergence(kind, key, expected, there));
            }
        });
    }
}
