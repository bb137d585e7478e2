package io.cachep.demo;

import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** Waits, with a deadline, until the projector has processed as many records as were produced. */
final class CatchUp {
    private static final Duration POLL = Duration.ofMillis(200);

    private CatchUp() {}

    /** Events the projector has finished with, whatever the outcome (written, fenced off, expired or dead-lettered). */
    static long processed(ProjectionMetrics metrics) {
        return metrics.finished();
    }

    static void await(ProjectorApp projector, long produced, Duration timeout, Progress progress) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processed(projector.metrics()) < produced) {
            if (projector.fatalFailure().isPresent()) {
                throw new IllegalStateException("the projector failed: " + projector.fatalFailure().get().getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the projector processed " + processed(projector.metrics()) + " of "
                        + produced + " records within " + timeout);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        progress.step("projector caught up: " + processed(projector.metrics()) + " events processed");
    }
}
