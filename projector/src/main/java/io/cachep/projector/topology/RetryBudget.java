package io.cachep.projector.topology;

import java.time.Duration;

/**
 * How long one record may be retried against a failing Redis before the stream thread gives up and restarts from
 * its last commit. Kept well under {@code max.poll.interval.ms} (5 minutes by default) so a Redis outage never gets
 * the member kicked out of the group, which would start a rebalance storm.
 */
public record RetryBudget(Duration total, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryBudget DEFAULT = new RetryBudget(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5));

    public RetryBudget withTotal(Duration newTotal) {
        return new RetryBudget(newTotal, initialBackoff, maxBackoff);
    }

    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt, 16);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
