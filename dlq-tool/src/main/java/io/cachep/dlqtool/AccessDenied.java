package io.cachep.dlqtool;

import io.cachep.errors.Causes;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Kafka refusing the operator's user (a missing ACL): messages that name what was refused, and where the ACLs each
 * command needs are listed.
 */
public final class AccessDenied {
    static final String ACLS_HINT = "docs/security.md (section Kafka) lists the ACLs each dlq-tool command needs";

    private AccessDenied() {}

    /**
     * The Admin API's per-topic answers say only "Topic authorization failed."; this names the topic, as the
     * consumer's and producer's own messages do. Any other failure is returned as it is.
     */
    public static Exception namingTopic(String topic, ExecutionException failure) {
        if (failure.getCause() instanceof TopicAuthorizationException) {
            return new TopicAuthorizationException("Not authorized to access topics: [" + topic + "]", Set.of(topic));
        }
        return failure;
    }

    /** Whether Kafka denied an operation somewhere down {@code error}'s causes. */
    static boolean isCause(Throwable error) {
        return Causes.of(error).stream().anyMatch(AuthorizationException.class::isInstance);
    }
}
