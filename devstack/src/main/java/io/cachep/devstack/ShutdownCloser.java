package io.cachep.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One JVM shutdown hook that closes every devstack process still open, so normal exit and Ctrl-C leave nothing
 * behind even when a caller forgets {@code close()}. ({@link ChildProcessReaper} covers the deaths no hook sees.)
 */
final class ShutdownCloser {
    private static final Duration CLOSE_BUDGET = Duration.ofSeconds(40);
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownCloser::closeAll, "devstack-shutdown"));
    }

    private ShutdownCloser() {}

    static void register(AutoCloseable resource) {
        OPEN.add(resource);
    }

    static void unregister(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    /** In parallel: the broker needs a couple of seconds to stop and Redis should not wait for it. */
    private static void closeAll() {
        List<Thread> closers = new ArrayList<>();
        for (AutoCloseable resource : List.copyOf(OPEN)) {
            Thread closer = new Thread(() -> {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // The JVM is going down; the watchdog removes whatever is left.
                }
            }, "devstack-close-" + resource);
            closer.start();
            closers.add(closer);
        }
        Deadline deadline = Deadline.after(CLOSE_BUDGET);
        for (Thread closer : closers) {
            try {
                closer.join(Math.max(1, deadline.remaining().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
