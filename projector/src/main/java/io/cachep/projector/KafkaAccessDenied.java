package io.cachep.projector;

import io.cachep.errors.Causes;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka refusing the projector's user is a FATAL failure of the deployment, not a bug: one line that says what was
 * refused and what to change, rather than a stack trace whose top message ("Exception caught in process ...") hides
 * the cause. docs/security.md has the ACLs as kafka-acls.sh lines.
 */
final class KafkaAccessDenied {
    private final String applicationId;
    private final Collection<String> topics;
    private final String deadLetterTopic;

    /** The names the projector's ACLs are about: its group, the topics the rules read, its DLQ. */
    KafkaAccessDenied(String applicationId, Collection<String> topics, String deadLetterTopic) {
        this.applicationId = applicationId;
        this.topics = new TreeSet<>(topics);
        this.deadLetterTopic = deadLetterTopic;
    }

    /** The line to stop with when Kafka refused the login or an operation somewhere down {@code error}'s causes. */
    Optional<String> describe(Throwable error) {
        for (Throwable e : Causes.of(error)) {
            if (e instanceof AuthorizationException denied) {
                return Optional.of("Kafka denied the projector's user: " + denied.getMessage() + ". It needs Read on"
                        + " topics " + topics + ", Read on group " + applicationId + " and Write on topic "
                        + deadLetterTopic + " (docs/security.md, section Kafka)");
            }
            if (e instanceof AuthenticationException refused) {
                return Optional.of("Kafka refused the projector's login: " + refused.getMessage() + ". Check"
                        + " projector.kafka.sasl.jaas.config (user and password) and the truststore"
                        + " (docs/security.md, section Kafka)");
            }
        }
        return Optional.empty();
    }
}
