package io.cachep.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the demo is doing, one line per step on stderr, with the elapsed time; stdout keeps only the report. */
final class Progress {
    private final PrintWriter err;
    private final long started = System.nanoTime();

    Progress(PrintWriter err) {
        this.err = err;
    }

    synchronized void step(String message) {
        err.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        err.flush();
    }

    /** Prints {@code message} every {@code period} until closed. */
    Ticker every(Duration period, Supplier<String> message) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> step(message.get()), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    interface Ticker extends AutoCloseable {
        @Override
        void close();
    }
}
