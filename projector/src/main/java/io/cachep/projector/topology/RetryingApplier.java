package io.cachep.projector.topology;

import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.EventStamp;
import io.cachep.apply.FencedApply;
import io.cachep.apply.RedisFailure;
import io.cachep.apply.RedisPermissions;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.Mutation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fenced apply with the failure classification applied once: a WRONGTYPE fails the event as poison, a fatal
 * error fails it as FATAL, and a transient one (an OOM from a full Redis included, reported to the
 * {@link RedisMemoryStall}) is retried with backoff (without holding the stream thread) until the {@link RetryBudget}
 * runs out, when it fails as TRANSIENT. Retrying is safe because every write is fenced.
 */
public final class RetryingApplier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetryingApplier.class);

    private final FencedApply applier;
    private final RetryBudget budget;
    private final RedisMemoryStall memoryStall;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachep-redis-retry");
        t.setDaemon(true);
        return t;
    });

    public RetryingApplier(FencedApply applier, RetryBudget budget, RedisMemoryStall memoryStall) {
        this.applier = applier;
        this.budget = budget;
        this.memoryStall = memoryStall;
    }

    public RetryBudget budget() {
        return budget;
    }

    /** @param what how messages name the event: its id, type and topic-partition@offset */
    public CompletableFuture<List<ApplyOutcome>> apply(EventStamp stamp, List<Mutation> mutations, String what) {
        CompletableFuture<List<ApplyOutcome>> result = new CompletableFuture<>();
        attempt(() -> applier.apply(stamp, mutations), what, 0, System.nanoTime() + budget.total().toNanos(), result);
        return result;
    }

    private void attempt(Supplier<CompletableFuture<List<ApplyOutcome>>> call, String what, int attempt, long deadline,
                         CompletableFuture<List<ApplyOutcome>> result) {
        call.get().whenComplete((outcomes, error) -> {
            if (error == null) {
                memoryStall.acknowledged();
                result.complete(outcomes);
                return;
            }
            if (RedisFailure.isOutOfMemory(error)) {
                memoryStall.refused();
            }
            switch (RedisFailure.classify(error)) {
                case POISON -> result.completeExceptionally(new PoisonEventException(PoisonReason.WRONG_REDIS_TYPE,
                        "Redis refused the writes of " + what + ": " + error.getMessage(), error));
                case FATAL -> result.completeExceptionally(new ProjectionFailure(ProjectionFailure.Kind.FATAL,
                        RedisPermissions.explain(error).map(advice -> "Redis refused the writes of " + what + ": " + advice)
                                .orElse("Redis refused the writes of " + what + " for a reason no retry can fix: "
                                        + error.getMessage()), error));
                default -> {
                    long backoffNanos = budget.backoff(attempt).toNanos();
                    if (System.nanoTime() + backoffNanos > deadline) {
                        result.completeExceptionally(new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT,
                                "Redis still failing after " + (attempt + 1) + " attempts at " + what
                                        + "; restarting from the last commit", error));
                        return;
                    }
                    log.debug("retrying {} in {} ms after {}", what, backoffNanos / 1_000_000, error.toString());
                    timer.schedule(() -> attempt(call, what, attempt + 1, deadline, result), backoffNanos, TimeUnit.NANOSECONDS);
                }
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
