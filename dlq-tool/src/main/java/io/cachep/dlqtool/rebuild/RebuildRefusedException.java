package io.cachep.dlqtool.rebuild;

/** A rebuild that will not start: the message says why and what to do. */
public final class RebuildRefusedException extends RuntimeException {
    public RebuildRefusedException(String message) {
        super(message);
    }
}
