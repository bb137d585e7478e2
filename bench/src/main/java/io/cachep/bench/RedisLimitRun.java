package io.cachep.bench;

import io.cachep.apply.ApplyBatcher;
import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis limit: the projector's own fenced apply (batched as the projector batches it) driven straight from
 * Lettuce on the same events, pipelined, no Kafka. The events are decoded and their mutations rendered before the clock starts, so only Redis and the
 * applier's own client-side work are timed.
 */
final class RedisLimitRun {
    /** Events in flight at once: enough to keep Redis's thread busy, as the projector's window does. */
    static final int WINDOW = 1000;
    /** The projector's defaults ({@code projector.redis.batch.*}): the limit is the projector's own apply at its best. */
    static final int BATCH_EVENTS = 64;
    static final java.time.Duration BATCH_LINGER = java.time.Duration.ofMillis(1);

    /** The result, and how many mutations the events carried. */
    record Result(Throughput throughput, long mutations) {}

    private record Prepared(EventStamp stamp, List<Mutation> mutations) {}

    private RedisLimitRun() {}

    static Result run(StatefulRedisConnection<String, String> redis, RuleEngine engine, List<LoggedEvent> log)
            throws InterruptedException {
        List<Prepared> events = new ArrayList<>(log.size());
        long mutations = 0;
        for (LoggedEvent logged : log) {
            try {
                List<Mutation> rendered = engine.project(logged.topic(), logged.event());
                events.add(new Prepared(EventStamp.of(logged.event()), rendered));
                mutations += rendered.size();
            } catch (PoisonEventException poison) {
                // the bench's workload has none; a poison event would not reach Redis in the projector either
            }
        }
        ApplyBatcher applier = new ApplyBatcher(new RedisApplier(redis.async(), engine.rules().tombstoneRetention(),
                engine.layout()), BATCH_EVENTS, BATCH_LINGER);
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Throughput.Clock clock = new Throughput.Clock();
        clock.startIfNotYet();
        for (Prepared event : events) {
            window.acquire();
            applier.apply(event.stamp(), event.mutations()).whenComplete((outcomes, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                window.release();
            });
        }
        applier.close();
        if (!window.tryAcquire(WINDOW, 5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Redis did not acknowledge the last writes within 5 minutes");
        }
        Throughput throughput = clock.stop("redis limit", events.size());
        if (failure.get() != null) {
            throw new IllegalStateException("the fenced apply failed: " + failure.get(), failure.get());
        }
        return new Result(throughput, mutations);
    }
}
