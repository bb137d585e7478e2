package io.cachep.errors;

/**
 * The root of the failures cachep names itself for a person to act on: a configuration, rules file or topic specs
 * that cannot be used, topics that could not be applied, an operator command that refuses. Each carries the exit code
 * a command line ends with, so a CLI maps this one type ({@code dlq-tool}'s {@code ErrorHandler}) instead of listing
 * its subclasses: {@link #USAGE} (2) prints the message as it is, every problem on its own line; {@link #FAILED} (1)
 * prints it as one line after the command's name.
 *
 * <p>It lives in projector-core, not in dlq-tool, because most of its subclasses are raised here and shared by the
 * projector and the operator CLI. Failures of single events ({@link PoisonEventException}: DLQ and go on) and of
 * Redis or Kafka clients (classified by the apply path and the clients' own types) are not under this root: they
 * decide what the projector does with a record, not how a command line ends.
 */
public abstract class CachepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The command failed or refused; the documented exit code 1. */
    public static final int FAILED = 1;
    /** Bad usage, configuration, rules file or topic specs; the documented exit code 2. */
    public static final int USAGE = 2;

    private final int exitCode;

    protected CachepException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    protected CachepException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        if (exitCode != FAILED && exitCode != USAGE) {
            throw new IllegalArgumentException("exitCode must be " + FAILED + " (failed) or " + USAGE + " (usage), was " + exitCode);
        }
        this.exitCode = exitCode;
    }

    /** {@link #FAILED} or {@link #USAGE}. */
    public int exitCode() {
        return exitCode;
    }
}
