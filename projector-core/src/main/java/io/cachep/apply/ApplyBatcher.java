package io.cachep.apply;

import io.cachep.rules.Mutation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gathers events into batches, so that one function call applies many of them: Redis's thread pays the cost of a
 * call (argument passing, the call itself, the reply) once per batch instead of once per event, and a fence
 * read once serves every event of the batch that touches its entry.
 *
 * <p>A batch is sent when it holds {@code maxEvents} events, when {@link #flush()} is called (the projector calls it
 * before it waits for writes: at its commit barrier and when its in-flight window is full), or {@code linger} after
 * its first event, whichever comes first: like a Kafka producer's {@code batch.size} and {@code linger.ms}. Batches go
 * out in the order they were filled, on one connection, so one entity's events reach Redis in log order. An event
 * with an {@code invalidate-tag} takes calls of its own: the batch before it is sent first.
 *
 * <p>Thread-safe: several stream threads may share it; sending happens under its lock, which Lettuce never blocks.
 */
public final class ApplyBatcher implements FencedApply, AutoCloseable {
    private final RedisApplier applier;
    private final int maxEvents;
    private final long lingerNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cachep-apply-linger");
        t.setDaemon(true);
        return t;
    });
    private List<RedisApplier.Event> events = new ArrayList<>();
    private List<CompletableFuture<List<ApplyOutcome>>> results = new ArrayList<>();
    /** Counts batches, so a linger timer set for one batch never sends a later one early. */
    private long batchNumber;

    public ApplyBatcher(RedisApplier applier, int maxEvents, Duration linger) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
        }
        this.applier = applier;
        this.maxEvents = maxEvents;
        this.lingerNanos = linger.toNanos();
    }

    @Override
    public CompletableFuture<List<ApplyOutcome>> apply(EventStamp stamp, List<Mutation> mutations) {
        if (!RedisApplier.isBatchable(mutations)) {
            synchronized (this) {
                send();
                return applier.apply(stamp, mutations);
            }
        }
        List<Mutation.EntryMutation> entries = new ArrayList<>(mutations.size());
        mutations.forEach(m -> entries.add((Mutation.EntryMutation) m));
        CompletableFuture<List<ApplyOutcome>> result = new CompletableFuture<>();
        synchronized (this) {
            events.add(new RedisApplier.Event(stamp, entries));
            results.add(result);
            if (events.size() >= maxEvents) {
                send();
            } else if (events.size() == 1) {
                long batch = batchNumber;
                timer.schedule(() -> sendIfStill(batch), lingerNanos, TimeUnit.NANOSECONDS);
            }
        }
        return result;
    }

    /** Sends the events gathered so far now, without waiting for the batch to fill or the linger to pass. */
    public synchronized void flush() {
        send();
    }

    private synchronized void sendIfStill(long batch) {
        if (batch == batchNumber) {
            send();
        }
    }

    private void send() {
        if (events.isEmpty()) {
            return;
        }
        List<RedisApplier.Event> sending = events;
        List<CompletableFuture<List<ApplyOutcome>>> waiting = results;
        events = new ArrayList<>(maxEvents);
        results = new ArrayList<>(maxEvents);
        batchNumber++;
        List<CompletableFuture<List<ApplyOutcome>>> replies;
        try {
            replies = applier.applyBatch(sending);
        } catch (RuntimeException e) {
            waiting.forEach(result -> result.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < waiting.size(); i++) {
            CompletableFuture<List<ApplyOutcome>> result = waiting.get(i);
            replies.get(i).whenComplete((outcomes, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(outcomes);
                }
            });
        }
    }

    @Override
    public void close() {
        flush();
        timer.shutdownNow();
    }
}
