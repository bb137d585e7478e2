package io.cachep.dlqtool;

/** The documented exit codes of every dlq-tool command (public for the commands in subpackages). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** Partial success, or (verify) divergent. */
    public static final int PARTIAL = 3;

    private ExitCodes() {}
}
