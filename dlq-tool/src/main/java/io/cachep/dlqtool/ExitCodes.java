package io.cachep.dlqtool;

import io.cachep.errors.CachepException;

/**
 * The documented exit codes of every dlq-tool command (public for the commands in subpackages). Failed and usage are
 * {@link CachepException}'s, which carries them.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = CachepException.FAILED;
    public static final int USAGE = CachepException.USAGE;
    /** Partial success, or (verify) divergent. */
    public static final int PARTIAL = 3;

    private ExitCodes() {}
}
