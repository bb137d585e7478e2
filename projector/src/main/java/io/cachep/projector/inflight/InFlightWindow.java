package io.cachep.projector.inflight;

import io.cachep.projector.topology.ProjectionFailure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The events of one stream thread whose Redis writes are in flight, bounded in events and bytes: writes are
 * pipelined up to the bound, and past it the stream thread waits for the oldest, so a slow or absent Redis stalls
 * consumption instead of growing the heap. Used only by its stream thread.
 */
public final class InFlightWindow {
    private final int maxEvents;
    private final long maxBytes;
    private final Runnable sendPending;
    private final Deque<PendingEvent> pending = new ArrayDeque<>();
    private long bytes;
    /** Read by the metrics thread, so kept apart from the deque the stream thread owns. */
    private volatile int size;

    /** @param sendPending sends writes still gathered into a batch, before waiting for them: else the wait could last a linger */
    public InFlightWindow(int maxEvents, long maxBytes, Runnable sendPending) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.sendPending = sendPending;
    }

    public int size() {
        return size;
    }

    /**
     * Adds an event, first waiting (at most {@code maxWait}) for the oldest ones to finish while the window is full.
     *
     * @return events that finished meanwhile, for the caller to account for
     * @throws ProjectionFailure TRANSIENT when Redis does not acknowledge within {@code maxWait}
     */
    public List<PendingEvent> admit(PendingEvent event, Duration maxWait) {
        List<PendingEvent> finished = takeFinished();
        long size = event.source().sizeInBytes();
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!pending.isEmpty() && (pending.size() >= maxEvents || bytes + size > maxBytes)) {
            sendPending.run();
            await(pending.peekFirst(), deadline);
            finished.addAll(takeFinished());
        }
        pending.addLast(event);
        bytes += size;
        this.size = pending.size();
        return finished;
    }

    /**
     * Removes and returns the events at the head of the window whose writes have finished, successfully or not, up to
     * the first still in flight. Only the head: scanning the whole window for each event would cost O(window) per
     * event, and Redis answers a connection's calls in order, so the events behind an unfinished one are rarely done.
     */
    public List<PendingEvent> takeFinished() {
        List<PendingEvent> finished = new ArrayList<>();
        while (!pending.isEmpty() && pending.peekFirst().result().isDone()) {
            PendingEvent event = pending.pollFirst();
            bytes -= event.source().sizeInBytes();
            finished.add(event);
        }
        size = pending.size();
        return finished;
    }

    /**
     * The commit barrier: waits until every in-flight event has finished, and returns them all.
     *
     * @throws ProjectionFailure TRANSIENT when Redis does not acknowledge within {@code maxWait}
     */
    public List<PendingEvent> awaitAll(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        sendPending.run();
        for (PendingEvent event : pending) {
            await(event, deadline);
        }
        return takeFinished();
    }

    private static void await(PendingEvent event, long deadlineNanos) {
        try {
            event.result().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // finished with a failure: the caller accounts for it
        } catch (TimeoutException e) {
            throw new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT, "Redis has not acknowledged the writes of "
                    + event.source().location() + " in time; restarting from the last commit", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT, "interrupted while waiting for Redis", e);
        }
    }
}
