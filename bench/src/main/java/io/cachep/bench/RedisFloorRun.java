package io.cachep.bench;

import io.cachep.errors.PoisonEventException;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.TagKey;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis floor: the same rendered mutations as run 1, written as the plain Redis commands they come to, pipelined,
 * with no fence, no script and no read: what the writes alone cost Redis's thread. The fence's overhead is run 1's
 * Redis CPU per event over this one's. Not correct under duplicates and reordering (that is the fence's job), and not
 * meant to be: only its cost is measured.
 */
final class RedisFloorRun {
    private RedisFloorRun() {}

    static Throughput run(StatefulRedisConnection<String, String> redis, RuleEngine engine, List<LoggedEvent> log)
            throws InterruptedException {
        List<List<Mutation>> events = new ArrayList<>(log.size());
        for (LoggedEvent logged : log) {
            try {
                events.add(engine.project(logged.topic(), logged.event()));
            } catch (PoisonEventException poison) {
                // the bench's workload has none
            }
        }
        RedisAsyncCommands<String, String> async = redis.async();
        Semaphore window = new Semaphore(RedisLimitRun.WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Throughput.Clock clock = new Throughput.Clock();
        clock.startIfNotYet();
        redis.setAutoFlushCommands(false);
        try {
            int unflushed = 0;
            for (List<Mutation> mutations : events) {
                window.acquire();
                RedisFuture<?> last = null;
                for (Mutation mutation : mutations) {
                    last = write(async, mutation);
                }
                if (last == null) {
                    window.release();
                } else {
                    last.whenComplete((reply, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        window.release();
                    });
                }
                if (++unflushed == RedisLimitRun.BATCH_EVENTS) {
                    redis.flushCommands();
                    unflushed = 0;
                }
            }
            redis.flushCommands();
        } finally {
            redis.setAutoFlushCommands(true);
        }
        if (!window.tryAcquire(RedisLimitRun.WINDOW, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Redis did not acknowledge the last writes within 5 minutes");
        }
        Throughput throughput = clock.stop("redis floor", events.size());
        if (failure.get() != null) {
            throw new IllegalStateException("a plain write failed: " + failure.get(), failure.get());
        }
        return throughput;
    }

    /** The commands a mutation comes to without a fence; returns the last one's future (Redis answers in order). */
    private static RedisFuture<?> write(RedisAsyncCommands<String, String> redis, Mutation mutation) {
        return mutation.accept(new Mutation.Visitor<RedisFuture<?>>() {
            @Override
            public RedisFuture<?> upsert(Mutation.Upsert u) {
                String key = u.key().data();
                RedisFuture<?> last;
                if (u.json() != null) {
                    last = redis.set(key, u.json());
                } else {
                    redis.del(key);
                    last = redis.hset(key, u.hash());
                }
                last = RedisFloorRun.expire(redis, key, u.expireAtMillis(), last);
                for (TagKey tag : u.tags()) {
                    last = redis.zadd(tag.index(), 0, key);
                }
                return last;
            }

            @Override
            public RedisFuture<?> merge(Mutation.Merge m) {
                String key = m.key().data();
                Map<String, String> set = m.setFields();
                List<String> removed = m.removedFields();
                RedisFuture<?> last = set.isEmpty() ? null : redis.hset(key, set);
                if (!removed.isEmpty()) {
                    last = redis.hdel(key, removed.toArray(String[]::new));
                }
                return RedisFloorRun.expire(redis, key, m.expireAtMillis(), last);
            }

            @Override
            public RedisFuture<?> delete(Mutation.Delete d) {
                RedisFuture<?> last = redis.del(d.key().data());
                return d.channel() == null ? last : redis.publish(d.channel(), d.key().data());
            }

            @Override
            public RedisFuture<?> expire(Mutation.Expire x) {
                return redis.pexpireat(x.key().data(), x.expireAtMillis());
            }

            @Override
            public RedisFuture<?> member(Mutation.MemberWrite w) {
                String key = w.key().data();
                RedisFuture<?> last = switch (w.kind()) {
                    case SET_ADD -> redis.sadd(key, w.member());
                    case SET_REMOVE -> redis.srem(key, w.member());
                    case ZSET_ADD -> redis.zadd(key, w.score(), w.member());
                    case ZSET_REMOVE -> redis.zrem(key, w.member());
                };
                return w.kind().adds() ? RedisFloorRun.expire(redis, key, w.expireAtMillis(), last) : last;
            }

            @Override
            public RedisFuture<?> invalidateTag(Mutation.InvalidateTag invalidateTag) {
                throw new IllegalStateException("the bench's workload has no tag invalidations");
            }
        });
    }

    private static RedisFuture<?> expire(RedisAsyncCommands<String, String> redis, String key, long expireAtMillis,
                                         RedisFuture<?> last) {
        return expireAtMillis == Mutation.NO_EXPIRY ? last : redis.pexpireat(key, expireAtMillis);
    }
}
