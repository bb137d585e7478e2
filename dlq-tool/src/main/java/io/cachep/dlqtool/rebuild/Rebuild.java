package io.cachep.dlqtool.rebuild;

import io.cachep.apply.RedisTarget;
import io.cachep.dlqtool.rebuild.RebuildCheckpoint.Phase;
import io.cachep.rules.KeyLayout;
import io.cachep.text.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs a rebuild's phases from wherever its checkpoint says: build the shadow from the log, promote the shadow's
 * entries, drop the live entries the log does not imply, carry tags over, remove the shadow. Every batch ends at a
 * safe point: the lease is renewed, the checkpoint saved, and a killed run continues from there.
 */
public final class Rebuild {
    private final ShadowBuild build;
    private final ShadowPromotion promotion;
    private final RebuildCheckpoint checkpoint;
    private final RebuildLease lease;
    private final RedisTarget redis;
    private final KeyLayout shadow;
    private final PrintWriter err;
    private final Runnable afterCheckpoint;

    /** @param afterCheckpoint runs after each saved checkpoint (tests interrupt a run there) */
    public Rebuild(ShadowBuild build, ShadowPromotion promotion, RebuildCheckpoint checkpoint, RebuildLease lease,
                   RedisTarget redis, KeyLayout shadow, PrintWriter err, Runnable afterCheckpoint) {
        this.build = build;
        this.promotion = promotion;
        this.checkpoint = checkpoint;
        this.lease = lease;
        this.redis = redis;
        this.shadow = shadow;
        this.err = err;
        this.afterCheckpoint = afterCheckpoint;
    }

    /**
     * The checkpoint to run from: the interrupted rebuild's when there is one built with the same rules file (and no
     * {@code restart}); otherwise a fresh one, after removing whatever shadow is left (a build must start empty).
     */
    public static RebuildCheckpoint resumeOrStart(RedisTarget redis, KeyLayout shadow, String rulesDigest,
                                                  boolean restart, PrintWriter err) {
        Optional<RebuildCheckpoint> interrupted = RebuildCheckpoint.load(redis.sync(), shadow);
        if (interrupted.isPresent() && !restart && interrupted.get().rulesDigest().equals(rulesDigest)) {
            err.println("resuming the rebuild started at " + interrupted.get().started() + " (phase "
                    + interrupted.get().phase().name().toLowerCase() + ")");
            return interrupted.get();
        }
        interrupted.ifPresent(found -> err.println((restart ? "--restart: discarding" : "the rules file changed since: discarding")
                + " the interrupted rebuild started at " + found.started() + "; starting from the beginning of the log"));
        ShadowNamespace.remove(redis, shadow, Set.of(RebuildLease.key(shadow)), "0", (keys, next) -> {});
        RebuildCheckpoint fresh = RebuildCheckpoint.start(shadow, rulesDigest);
        fresh.save(redis.sync());
        return fresh;
    }

    public void run() {
        while (true) {
            switch (checkpoint.phase()) {
                case BUILD -> {
                    Map<TopicPartition, Long> ends = build.ends();
                    Progress progress = new Progress(err, "building the shadow", build.remaining(ends));
                    long[] read = {0};
                    build.upTo(ends, n -> progress.update(read[0] = n), this::save);
                    progress.finish(read[0]);
                    next(Phase.PROMOTE);
                }
                case PROMOTE -> {
                    Progress progress = new Progress(err, "promoting entries", promotion.shadowEntryCount());
                    scanned(progress, promotion::shadowEntries);
                    next(Phase.DROP);
                }
                case DROP -> {
                    scanned(new Progress(err, "dropping what the log does not imply", 0), promotion::liveEntries);
                    next(Phase.TAGS);
                }
                case TAGS -> {
                    scanned(new Progress(err, "carrying tags over", 0), promotion::tags);
                    next(Phase.CLEANUP);
                }
                case CLEANUP -> {
                    Set<String> keep = Set.of(RebuildCheckpoint.key(shadow), RebuildLease.key(shadow));
                    scanned(new Progress(err, "removing the shadow", 0),
                            (at, step) -> ShadowNamespace.remove(redis, shadow, keep, at, step));
                    checkpoint.delete(redis.sync());
                    return;
                }
            }
        }
    }

    /** A pass over a scan, resumed from the checkpoint's cursor, with a safe point after each batch. */
    private void scanned(Progress progress, Pass pass) {
        long[] done = {0};
        pass.run(checkpoint.cursor(), (keys, next) -> {
            checkpoint.cursor(next);
            save();
            progress.update(done[0] += keys);
        });
        progress.finish(done[0]);
    }

    private interface Pass {
        void run(String cursor, BiConsumer<Integer, String> afterBatch);
    }

    private void next(Phase phase) {
        checkpoint.moveTo(phase);
        save();
    }

    private void save() {
        lease.renew();
        checkpoint.save(redis.sync());
        afterCheckpoint.run();
    }
}
