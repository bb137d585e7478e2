package io.cachep.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker started with security: SASL_SSL logins only, ACLs enforced, users and ACLs kept across a restart. */
class SecuredKafkaBrokerIT {
    private static final String TOPIC = "orders";

    @Test
    void shouldLetAUserDoOnlyWhatItsAclsAllowAcrossARestart(@TempDir Path dir) throws Exception {
        BrokerSecurity security = BrokerSecurity.saslSsl(TestCertificates.newAuthority(dir, "devstack-test-ca"));
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withSecurity(security))) {
            try (Admin admin = Admin.create(broker.clientProperties())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            String password = BrokerSecurity.randomPassword();
            broker.addScramUser("alice", password);

            assertThatThrownBy(() -> produce(broker.clientProperties("alice", password)))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            allowWrite(broker, "User:alice");
            produce(broker.clientProperties("alice", password));

            broker.restart();
            produce(broker.clientProperties("alice", password));
            assertThatThrownBy(() -> produce(broker.clientProperties("alice", "not-" + password)))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static void allowWrite(KafkaBroker broker, String principal) throws Exception {
        AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createAcls(List.of(write)).all().get();
            // The controller commits an ACL a moment before the broker's authorizer has it.
            Awaitility.await().until(() -> Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get())
                    .contains(write));
        }
    }

    private static void produce(Map<String, Object> client) throws ExecutionException, InterruptedException {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", "v")).get();
        }
    }
}
