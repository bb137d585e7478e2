package io.cachep.client;

/**
 * One unbroken stretch of the invalidation link: from the moment Redis acknowledged {@code CLIENT TRACKING} on a
 * connection until that connection is lost. Within a live epoch every change to the namespace reaches the client;
 * once it ends, Redis has forgotten the tracking state and what changed after is unknown, so copies read in it are
 * no longer served as fresh.
 */
final class TrackingEpoch {
    /** Before the first connection, and while none is up. */
    static final TrackingEpoch NONE = new TrackingEpoch(0, 0L);

    private final long number;
    private volatile long confirmedAtNanos;
    private volatile boolean live;

    private TrackingEpoch(long number, long confirmedAtNanos) {
        this.number = number;
        this.confirmedAtNanos = confirmedAtNanos;
        this.live = number > 0;
    }

    /** A live epoch that began when tracking was requested at {@code startedAtNanos}. */
    static TrackingEpoch begin(long number, long startedAtNanos) {
        return new TrackingEpoch(number, startedAtNanos);
    }

    long number() {
        return number;
    }

    boolean live() {
        return live;
    }

    /**
     * A heartbeat sent at {@code sentAtNanos} came back on the link: every invalidation of a write Redis made before
     * it had been delivered ahead of the reply, so what the L1 holds was true then.
     */
    void confirm(long sentAtNanos) {
        if (live && sentAtNanos > confirmedAtNanos) {
            confirmedAtNanos = sentAtNanos;
        }
    }

    long confirmedAtNanos() {
        return confirmedAtNanos;
    }

    /** Whether copies of this epoch may be served as fresh at {@code nowNanos}. */
    boolean confirmedWithin(long nowNanos, long windowNanos) {
        return live && nowNanos - confirmedAtNanos <= windowNanos;
    }

    void end() {
        live = false;
    }

    @Override
    public String toString() {
        return "epoch " + number + (live ? "" : " (ended)");
    }
}
