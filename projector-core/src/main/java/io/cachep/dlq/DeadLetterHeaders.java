package io.cachep.dlq;

import io.cachep.errors.PoisonReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * The headers a dead-letter record carries on top of the original record's own (which are kept byte for byte, as
 * are its key, value and timestamp). The {@code __streams.errors.*} names are Kafka Streams' own (KIP-1034), so
 * tools that read native Streams DLQs read ours; the {@code cachep.*} ones are ours. Names are a contract.
 */
public final class DeadLetterHeaders {
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String STACKTRACE = "__streams.errors.stacktrace";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    public static final String REASON = "cachep.reason";
    public static final String ERROR_CLASS = "cachep.error-class";
    public static final String FAILED_AT = "cachep.failed-at";
    public static final String ATTEMPTS = "cachep.attempts";
    public static final String APPLICATION_ID = "cachep.application-id";
    public static final String PROCESSOR = "cachep.processor";
    public static final String RULE = "cachep.rule";
    public static final String REPLAY_COUNT = "cachep.replay-count";

    private DeadLetterHeaders() {}

    /** Where and why a record failed. {@code rule} may be null when no rule was reached. */
    public record Cause(PoisonReason reason, Throwable error, String topic, int partition, long offset,
                        Instant failedAt, int attempts, String applicationId, String processor, String rule) {}

    /** Adds the cause headers to {@code headers} (a copy of the original record's). Existing cause headers are replaced. */
    public static void addCause(Headers headers, Cause cause) {
        put(headers, EXCEPTION, cause.error().getClass().getName());
        put(headers, MESSAGE, String.valueOf(cause.error().getMessage()));
        put(headers, STACKTRACE, stackTrace(cause.error()));
        put(headers, TOPIC, cause.topic());
        put(headers, PARTITION, Integer.toString(cause.partition()));
        put(headers, OFFSET, Long.toString(cause.offset()));
        put(headers, REASON, cause.reason().name());
        put(headers, ERROR_CLASS, rootCause(cause.error()).getClass().getName());
        put(headers, FAILED_AT, cause.failedAt().toString());
        put(headers, ATTEMPTS, Integer.toString(cause.attempts()));
        put(headers, APPLICATION_ID, cause.applicationId());
        put(headers, PROCESSOR, cause.processor());
        if (cause.rule() != null) {
            put(headers, RULE, cause.rule());
        }
        if (headers.lastHeader(REPLAY_COUNT) == null) {
            put(headers, REPLAY_COUNT, "0");
        }
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The failure underneath the wrappers: for a WRONGTYPE, Lettuce's exception, not ours. */
    private static Throwable rootCause(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
