package io.cachep.dlqtool;

/** The documented exit codes of every dlq-tool command. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** Partial success, or (verify) divergent. */
    static final int PARTIAL = 3;

    private ExitCodes() {}
}
