package io.cachep.devstack;

import java.time.Duration;

/** A point in time to give up at, measured on the monotonic clock so wall-clock jumps cannot stretch a wait. */
record Deadline(long nanos) {

    static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    boolean expired() {
        return System.nanoTime() - nanos >= 0;
    }

    Duration remaining() {
        long left = nanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** The shorter of {@code step} and what is left, so a poll never overshoots the deadline. */
    Duration atMost(Duration step) {
        Duration left = remaining();
        return left.compareTo(step) < 0 ? left : step;
    }
}
