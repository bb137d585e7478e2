package io.cachep.projector.topology;

/**
 * A failure that stops processing of the current record (never skipping it). {@link Kind#TRANSIENT} failures make
 * the stream thread restart its tasks from the last committed offsets; {@link Kind#FATAL} ones stop the projector.
 */
public final class ProjectionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { TRANSIENT, FATAL }

    private final Kind kind;

    public ProjectionFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The first ProjectionFailure in a cause chain (Kafka Streams wraps what processors throw), if any. */
    public static ProjectionFailure find(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ProjectionFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
