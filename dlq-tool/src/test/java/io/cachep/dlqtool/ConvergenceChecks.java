package io.cachep.dlqtool;

import io.cachep.projector.ProjectorApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting for a deployment to converge: the projector to have handled what was sent, {@code verify} to say equal. */
final class ConvergenceChecks {
    static final Duration CATCH_UP = Duration.ofSeconds(120);

    private ConvergenceChecks() {}

    /** Runs verify until it reports equal or the deadline passes; the last run either way, for the caller to assert. */
    static CliRun.Result awaitEqual(Map<String, String> env) {
        CliRun.Result[] last = new CliRun.Result[1];
        try {
            Awaitility.await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1))
                    .until(() -> (last[0] = CliRun.run(new VerifyCommand(env))).exit() == 0);
        } catch (ConditionTimeoutException e) {
            // Awaitility interrupts a run still going at the deadline: one more, whole, for the caller to report.
            last[0] = CliRun.run(new VerifyCommand(env));
        }
        return last[0];
    }

    /** Waits until the projector has handled {@code records} records, whatever the outcome. */
    static void awaitHandled(ProjectorApp projector, long records) {
        Awaitility.await().atMost(CATCH_UP).until(() -> handled(projector) >= records);
    }

    /** Records the projector has handled, whatever the outcome. */
    static long handled(ProjectorApp projector) {
        long total = 0;
        for (String outcome : List.of("applied", "duplicate", "stale", "expired", "dlq", "ignored")) {
            total += projector.metrics().count(outcome);
        }
        return total;
    }
}
