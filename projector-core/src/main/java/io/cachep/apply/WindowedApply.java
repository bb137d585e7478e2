package io.cachep.apply;

import io.cachep.rules.Mutation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The operator commands' writes through the fenced apply ({@code replay}, {@code rebuild}, {@code verify --repair}):
 * pipelined, but never more than a window of events in flight, so a log of any length cannot flood the connection's
 * request queue; and an event whose call fails for a passing reason (a timeout, a lost connection, a failover, a full
 * Redis) is applied again until it succeeds or {@code retryFor} has passed, so one bad second does not end an
 * hour-long run. Retrying is safe because the apply is fenced: what a failed call did write is a duplicate the second
 * time.
 */
public final class WindowedApply {
    /** Events in flight at once (about 20 calls): enough to keep Redis busy, few enough to bound memory and the queue. */
    public static final int WINDOW = 2_000;
    /** Events per call: the projector's batching, which takes the fence's cost per event down several times. */
    static final int BATCH = 100;
    /** How long the operator commands retry a write that failed for a passing reason before they give up. */
    public static final Duration RETRY_FOR = Duration.ofMinutes(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisApplier applier;
    private final Duration retryFor;
    private final PrintWriter err;
    private final Consumer<ApplyOutcome> outcomes;
    private final List<Pending> window = new ArrayList<>(WINDOW);
    /** Events gathered for the next call, not sent yet (reply null). */
    private final List<Pending> batch = new ArrayList<>(BATCH);
    /** True while failures go on: one line says so, not one per event. */
    private boolean failing;
    /**
     * When the latest call that succeeded was sent: a call sent before it that failed is a leftover of an outage Redis
     * has come back from, so it is sent again at once, without a word or a backoff.
     */
    private long answeredSentAt = Long.MIN_VALUE;

    private record Pending(EventStamp stamp, List<Mutation> mutations, CompletableFuture<List<ApplyOutcome>> reply,
                           long sentAt) {}

    /** @param outcomes gets each event's outcome ({@link ApplyOutcome#ofEvent}) once it is acknowledged */
    public WindowedApply(RedisApplier applier, Duration retryFor, PrintWriter err, Consumer<ApplyOutcome> outcomes) {
        this.applier = applier;
        this.retryFor = retryFor;
        this.err = err;
        this.outcomes = outcomes;
    }

    /**
     * Sends the event's writes (events without a tag invalidation gathered {@value #BATCH} to a call, as the projector
     * does); when the window is full, first waits for every write in it.
     *
     * @return true when the window was drained by this call: every write before it is acknowledged (a safe point)
     */
    public boolean apply(EventStamp stamp, List<Mutation> mutations) {
        if (mutations.isEmpty()) {
            outcomes.accept(ApplyOutcome.ofEvent(List.of()));
        } else if (RedisApplier.isBatchable(mutations)) {
            batch.add(new Pending(stamp, mutations, null, 0));
            if (batch.size() >= BATCH) {
                sendBatch();
            }
        } else {
            window.add(new Pending(stamp, mutations, applier.apply(stamp, mutations), System.nanoTime()));
        }
        if (window.size() + batch.size() >= WINDOW) {
            drain();
            return true;
        }
        return false;
    }

    /** Waits until every write sent is acknowledged, applying again those that failed for a passing reason. */
    public void drain() {
        sendBatch();
        for (Pending pending : window) {
            outcomes.accept(ApplyOutcome.ofEvent(await(pending)));
        }
        window.clear();
    }

    private void sendBatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<RedisApplier.Event> events = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            List<Mutation.EntryMutation> writes = new ArrayList<>(pending.mutations().size());
            pending.mutations().forEach(m -> writes.add((Mutation.EntryMutation) m));
            events.add(new RedisApplier.Event(pending.stamp(), writes));
        }
        long sentAt = System.nanoTime();
        List<CompletableFuture<List<ApplyOutcome>>> replies = applier.applyBatch(events);
        for (int i = 0; i < batch.size(); i++) {
            window.add(new Pending(batch.get(i).stamp(), batch.get(i).mutations(), replies.get(i), sentAt));
        }
        batch.clear();
    }

    private List<ApplyOutcome> await(Pending pending) {
        CompletableFuture<List<ApplyOutcome>> reply = pending.reply();
        long sentAt = pending.sentAt();
        long deadline = System.nanoTime() + retryFor.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                List<ApplyOutcome> result = reply.join();
                answeredSentAt = Math.max(answeredSentAt, sentAt);
                if (failing) {
                    err.println("Redis answers again; the run goes on");
                    err.flush();
                    failing = false;
                }
                return result;
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                if (RedisFailure.classify(e) != RedisFailure.TRANSIENT || System.nanoTime() > deadline) {
                    throw e;
                }
                if (sentAt >= answeredSentAt) { // a failure of its own, not a leftover of one Redis came back from
                    if (!failing) {
                        err.println("Redis failed a write (" + RedisApplier.unwrap(e).getMessage()
                                + "): retrying for up to " + retryFor.toSeconds() + " s");
                        err.flush();
                        failing = true;
                    }
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
                sentAt = System.nanoTime();
                reply = applier.apply(pending.stamp(), pending.mutations());
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a write", e);
        }
    }
}
