package io.cachep.dlqtool.dlq;

import io.cachep.errors.CachepException;

/**
 * The DLQ has no such record or partition. Left to the CLI's error handler, which prints the message on one line and
 * exits 1: the command was well formed, the DLQ just does not hold what it names.
 */
public final class NoSuchDeadLetterException extends CachepException {
    public NoSuchDeadLetterException(String message) {
        super(FAILED, message);
    }
}
