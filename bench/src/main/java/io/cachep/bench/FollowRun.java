package io.cachep.bench;

import io.cachep.apply.VerificationRecord;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.rules.KeyLayout;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Run 10, a verifier that follows the log: with the projector live and events arriving at the demo's rate,
 * {@code dlq-tool verify --follow --repair --execute} ({@code -Xmx256m}, a JVM of its own) beside it. First a quiet
 * spell, in which it must report nothing (the projector's writes in flight are not divergences); then a
 * {@code FLUSHALL}: how long until it reports the loss, and until it has repaired it (its record in Redis back to no
 * divergent entry). The events stop, the projector catches up, the follower is stopped (SIGTERM), and a plain
 * {@code verify} judges the result: Redis must equal the log.
 */
final class FollowRun {
    static final Duration QUIET = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    /**
     * @param falseReports divergences the follower reported before the flush (must be 0)
     * @param reportedSeconds from the FLUSHALL to the follower's first report of it
     * @param repairedSeconds from the FLUSHALL to the follower's record saying no entry is divergent again
     * @param reported divergences reported after the flush
     * @param divergentAtStop what the follower's last line said was divergent when SIGTERM stopped it (-1: no such line)
     * @param verifyExit the plain verify's after it all (0: equal)
     */
    record Result(long logRecords, double rate, long falseReports, double reportedSeconds, double repairedSeconds,
                  long reported, long divergentAtStop, int verifyExit) {}

    private final Map<String, String> environment;
    private final Path workDir;
    private final Consumer<String> step;

    FollowRun(Map<String, String> environment, Path workDir, Consumer<String> step) {
        this.environment = environment;
        this.workDir = workDir;
        this.step = step;
    }

    /** @param caughtUp waits until the projector has committed everything produced so far */
    Result measure(long logRecords, double rate, Producer<String, byte[]> producer, FaultInjector stream,
                   RedisCommands<String, String> redis, KeyLayout layout, ThrowingRunnable caughtUp) throws Exception {
        Path out = workDir.resolve("follow-" + System.nanoTime() + ".out");
        Path err = workDir.resolve("follow-" + System.nanoTime() + ".err");
        Process follower = dlqTool(out, err, "verify", "--follow", "--repair", "--execute", "-o", "json");
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> PacedProducer.run(producer, stream, rate, Duration.ofHours(2),
                () -> !producing.get(), event -> {}), "follow-traffic");
        try {
            traffic.start();
            step.accept("waiting for the follower to read the log up to the projector");
            await(() -> contains(err, "following the log"), "the follower to start following", follower);
            step.accept("a quiet spell of " + QUIET.toSeconds() + " s with events at " + rate + "/s");
            Thread.sleep(QUIET.toMillis()); // a measured spell, not a wait for something
            long falseReports = count(out, "\"state\":\"divergent\"");

            step.accept("FLUSHALL");
            long flushed = System.nanoTime();
            redis.flushall();
            await(() -> count(out, "\"state\":\"divergent\"") > falseReports, "the follower to report the flush", follower);
            double reportedSeconds = (System.nanoTime() - flushed) / 1e9;
            await(() -> VerificationRecord.divergent(redis, layout).orElse(0) > 0, "the follower's record to count it", follower);
            await(() -> VerificationRecord.divergent(redis, layout).orElse(-1) == 0, "the follower to repair it", follower);
            double repairedSeconds = (System.nanoTime() - flushed) / 1e9;
            long reported = count(out, "\"state\":\"divergent\"") - falseReports;

            step.accept("events stopped; the projector catches up; the follower is stopped");
            producing.set(false);
            traffic.join();
            producer.flush();
            caughtUp.run();
            follower.destroy(); // SIGTERM, as an operator stops it
            if (!follower.waitFor(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the follower did not stop within a minute of SIGTERM; see " + err);
            }
            step.accept("a plain verify judges the result");
            Process verify = dlqTool(workDir.resolve("verify-after-follow.out"), workDir.resolve("verify-after-follow.err"),
                    "verify");
            if (!verify.waitFor(30, TimeUnit.MINUTES)) {
                verify.destroyForcibly();
                throw new IllegalStateException("verify after the follow run took over 30 minutes");
            }
            return new Result(logRecords, rate, falseReports, reportedSeconds, repairedSeconds, reported,
                    divergentAtStop(err), verify.exitValue());
        } finally {
            producing.set(false);
            traffic.join();
            follower.destroyForcibly();
        }
    }

    /** A {@code Runnable} that may throw. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Process dlqTool(Path out, Path err, String... args) throws Exception {
        return RecoveryRun.dlqTool(environment, List.of(), args).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
    }

    private static void await(BooleanSupplier condition, String what, Process follower) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (!follower.isAlive()) {
                throw new IllegalStateException("the follower ended (exit " + follower.exitValue() + ") before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + DEADLINE.toMinutes() + " minutes for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static long divergentAtStop(Path err) throws java.io.IOException {
        java.util.regex.Matcher last = java.util.regex.Pattern.compile("stopped following: (\\d+) entries divergent")
                .matcher(Files.readString(err));
        long divergent = -1;
        while (last.find()) {
            divergent = Long.parseLong(last.group(1));
        }
        return divergent;
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long count(Path file, String text) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> line.contains(text)).count() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
