package io.cachep.projector.inflight;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link InFlightWindow} per stream thread. The projection processor (which adds to it) and the producer's
 * commit barrier (which drains it) both run on the stream thread, so each finds its window by the current thread.
 */
public final class InFlightRegistry {
    private final int maxEvents;
    private final long maxBytes;
    private final Runnable sendPending;
    private final Map<Thread, InFlightWindow> windows = new ConcurrentHashMap<>();

    /** @param sendPending sends writes still gathered into a batch; a window calls it before it waits for writes */
    public InFlightRegistry(int maxEvents, long maxBytes, Runnable sendPending) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.sendPending = sendPending;
    }

    /** The current stream thread's window, created on first use. */
    public InFlightWindow current() {
        return windows.computeIfAbsent(Thread.currentThread(), t -> new InFlightWindow(maxEvents, maxBytes, sendPending));
    }

    /** The current thread's window if it has one (a thread that never processed has nothing to wait for). */
    public InFlightWindow currentIfAny() {
        return windows.get(Thread.currentThread());
    }

    /** Forgets the current thread's window: its thread is closing, and what was in flight will be re-processed. */
    public void release() {
        windows.remove(Thread.currentThread());
    }

    /** Events in flight over every stream thread (a gauge). */
    public int inFlight() {
        return windows.values().stream().mapToInt(InFlightWindow::size).sum();
    }
}
