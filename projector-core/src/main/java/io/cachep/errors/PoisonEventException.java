package io.cachep.errors;

/**
 * An event that no retry can fix. The projector sends it to the dead-letter topic with its reason and goes on.
 * Messages name what was wrong and where (attribute, rule, template path), never payload values.
 */
public class PoisonEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final PoisonReason reason;
    private final String rule;

    public PoisonEventException(PoisonReason reason, String message) {
        this(reason, message, null, null);
    }

    public PoisonEventException(PoisonReason reason, String message, Throwable cause) {
        this(reason, message, null, cause);
    }

    /** @param rule the projection rule that could not be applied, or null when none was reached */
    public PoisonEventException(PoisonReason reason, String message, String rule, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.rule = rule;
    }

    public PoisonReason reason() {
        return reason;
    }

    /** The rule that failed, or null. */
    public String rule() {
        return rule;
    }
}
