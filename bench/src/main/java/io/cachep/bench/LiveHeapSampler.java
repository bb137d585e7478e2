package io.cachep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples another JVM's live heap: {@code jcmd <pid> GC.class_histogram} runs a full collection and counts what
 * survives, so its total is the live set at that moment (each sample costs the process one full pause). The peak of
 * those samples is what a command really keeps; G1's heap after young collections also holds garbage it has not
 * marked yet.
 */
final class LiveHeapSampler {
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    private final Thread thread;
    private final AtomicLong peakBytes = new AtomicLong();
    private volatile boolean running = true;

    private LiveHeapSampler(long pid, Duration every) {
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(every.toMillis());
                    sample(pid);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "live-heap-sampler-" + pid);
        thread.setDaemon(true);
    }

    static LiveHeapSampler start(long pid, Duration every) {
        LiveHeapSampler sampler = new LiveHeapSampler(pid, every);
        sampler.thread.start();
        return sampler;
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** The largest live heap sampled, MiB (0 when the process ended before the first sample). */
    long peakMegabytes() {
        return peakBytes.get() / (1024 * 1024);
    }

    private void sample(long pid) throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            Matcher total = TOTAL.matcher(output);
            if (total.find()) {
                peakBytes.accumulateAndGet(Long.parseLong(total.group(1)), Math::max);
            }
        } catch (IOException e) {
            // The process ended between two samples, or jcmd is missing: no sample, not a failed run.
        }
    }
}
