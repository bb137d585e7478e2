package io.cachep.dlqtool.rebuild;

import io.cachep.errors.CachepException;

/** A rebuild that will not start: the message says why and what to do. Exit 1. */
public final class RebuildRefusedException extends CachepException {
    public RebuildRefusedException(String message) {
        super(FAILED, message);
    }
}
