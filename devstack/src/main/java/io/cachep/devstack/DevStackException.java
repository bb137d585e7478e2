package io.cachep.devstack;

/**
 * A devstack process could not be started, stopped or signalled.
 *
 * <p>Unchecked: callers are tests and a demo, which can only fail with the message. The message carries what is
 * needed to act on it (which process, which port, the tail of its log).
 */
public class DevStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevStackException(String message) {
        super(message);
    }

    public DevStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
