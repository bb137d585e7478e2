package io.cachep.devstack;

/** {@code redis-server} is not on the {@code PATH}: a setup problem, not a flaky start, so it has its own type. */
public final class RedisNotInstalledException extends DevStackException {
    private static final long serialVersionUID = 1L;

    static final String MESSAGE = "redis-server not found on PATH; install it with `apt-get install -y redis-server`"
            + " (Debian/Ubuntu) or your OS's package";

    RedisNotInstalledException() {
        super(MESSAGE);
    }
}
