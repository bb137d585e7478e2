package io.cachep.devstack;

import java.util.function.Supplier;

/**
 * Refuses to pause, stop, kill or restart a server that other tests share. A test that breaks the shared broker or
 * Redis breaks every test after it in the JVM, in ways that show up far from the cause; refusing at the call names it.
 */
final class DisruptionGuard {
    private final Supplier<String> server;
    private volatile String sharedBy;

    /** @param server what is guarded, for the message: "redis-server on port 6379" */
    DisruptionGuard(Supplier<String> server) {
        this.server = server;
    }

    /** From now on, disruptions are refused; {@code sharedBy} says who shares the server, for the message. */
    void share(String sharedBy) {
        this.sharedBy = sharedBy;
    }

    void check(String action) {
        String by = sharedBy;
        if (by != null) {
            throw new IllegalStateException("refused to " + action + " " + server.get() + ": it is shared by " + by
                    + ". A test that pauses, stops, kills or restarts a server starts its own (KafkaBroker.start,"
                    + " RedisServer.start) and closes it.");
        }
    }
}
