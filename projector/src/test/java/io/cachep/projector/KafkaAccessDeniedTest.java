package io.cachep.projector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** A missing ACL or a refused login stops the projector with one line that says what to change. */
class KafkaAccessDeniedTest {
    private final KafkaAccessDenied denied = new KafkaAccessDenied("cachep-projector",
            List.of("session-events", "profile-events"), "cachep-dlq");

    @Test
    void shouldNameWhatKafkaRefusedAndTheAclsTheProjectorNeeds() {
        // Kafka Streams wraps a failed dead-letter write twice; the top message says nothing about access.
        Throwable error = new StreamsException("Exception caught in process. taskId=0_2",
                new StreamsException("Error encountered sending record to topic cachep-dlq",
                        new TopicAuthorizationException("Not authorized to access topics: [cachep-dlq]", Set.of("cachep-dlq"))));

        assertThat(denied.describe(error)).contains("Kafka denied the projector's user: Not authorized to access"
                + " topics: [cachep-dlq]. It needs Read on topics [profile-events, session-events], Read on group"
                + " cachep-projector and Write on topic cachep-dlq (docs/security.md, section Kafka)");
    }

    @Test
    void shouldPointAtTheLoginWhenKafkaRefusedIt() {
        Throwable error = new StreamsException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512"));

        assertThat(denied.describe(error)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("Kafka refused the projector's login: Authentication failed")
                .contains("projector.kafka.sasl.jaas.config"));
    }

    @Test
    void shouldLeaveOtherFailuresAlone() {
        assertThat(denied.describe(new StreamsException(new IllegalStateException("boom")))).isEmpty();
    }
}
