package io.cachep.topics;

import java.util.Objects;

/** What {@link TopicApplier} did, or found, for one topic. */
public record TopicChange(String topic, Action action, String detail) {

    public enum Action {
        /** The topic did not exist and was created from the spec. */
        CREATED,
        /** The topic exists and matches the spec. */
        UNCHANGED,
        /** The topic exists but differs from the spec; it was left alone and the detail says how it differs. */
        DRIFT
    }

    public TopicChange {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line for logs and progress output: {@code session-events: CREATED (created with 6 partitions, ...)}. */
    @Override
    public String toString() {
        return topic + ": " + action + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
