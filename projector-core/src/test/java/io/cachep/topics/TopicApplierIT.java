package io.cachep.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DevStackExtension.class)
class TopicApplierIT {

    private static final Path REPO_TOPICS = Path.of("..", "topics");

    private final TopicApplier applier = new TopicApplier();

    @Test
    void createsMissingTopicsThenFindsThemUnchangedThenReportsDrift(DevStack stack, TestIsolation isolation)
            throws Exception {
        List<TopicSpec> specs = TopicSpecLoader.load(REPO_TOPICS).stream()
                .map(spec -> spec.withName(isolation.topic(spec.name())))
                .toList();

        try (Admin admin = admin(stack.bootstrapServers())) {
            List<TopicChange> first = applier.apply(admin, specs);
            assertThat(first).extracting(TopicChange::topic).containsExactlyElementsOf(names(specs));
            assertThat(first).allSatisfy(change -> assertThat(change.action()).isEqualTo(TopicChange.Action.CREATED));
            for (TopicSpec spec : specs) {
                assertThat(describe(admin, spec.name()).partitions()).hasSize(spec.partitions());
                assertThat(configs(admin, spec.name()).get("retention.ms").value())
                        .isEqualTo(spec.configs().get("retention.ms"));
            }

            List<TopicChange> second = applier.apply(admin, specs);
            assertThat(second).allSatisfy(change -> assertThat(change.action())
                    .as(change.toString()).isEqualTo(TopicChange.Action.UNCHANGED));

            TopicSpec session = specs.stream().filter(spec -> spec.name().contains("session-events")).findFirst()
                    .orElseThrow();
            TopicSpec morePartitions = new TopicSpec(session.name(), 8, session.replicationFactor(), session.configs());
            assertThat(applier.apply(admin, List.of(morePartitions))).singleElement().satisfies(change -> {
                assertThat(change.action()).isEqualTo(TopicChange.Action.DRIFT);
                assertThat(change.detail()).contains("partitions", "has 6", "wants 8");
            });
            assertThat(describe(admin, session.name()).partitions()).as("drift is reported, not fixed").hasSize(6);

            TopicSpec otherRetention = new TopicSpec(session.name(), 6, session.replicationFactor(),
                    Map.of("cleanup.policy", "delete", "retention.ms", "86400000"));
            assertThat(applier.apply(admin, List.of(otherRetention))).singleElement().satisfies(change -> {
                assertThat(change.action()).isEqualTo(TopicChange.Action.DRIFT);
                assertThat(change.detail()).contains("retention.ms", "604800000", "86400000");
            });
        }
    }

    @Test
    void replicationFactorIsCappedToTheLiveBrokers(DevStack stack, TestIsolation isolation) throws Exception {
        TopicSpec spec = new TopicSpec(isolation.topic("replicated"), 2, (short) 3, Map.of());

        try (Admin admin = admin(stack.bootstrapServers())) {
            assertThat(applier.apply(admin, List.of(spec))).singleElement().satisfies(change -> {
                assertThat(change.action()).isEqualTo(TopicChange.Action.CREATED);
                assertThat(change.detail()).contains("capped from 3 to 1", "1 live broker");
            });
            assertThat(describe(admin, spec.name()).partitions().get(0).replicas()).hasSize(1);
            assertThat(applier.apply(admin, List.of(spec))).singleElement()
                    .extracting(TopicChange::action).isEqualTo(TopicChange.Action.UNCHANGED);
        }
    }

    @Test
    void topicCreatedByAnotherClientMeanwhileCountsAsExisting(DevStack stack, TestIsolation isolation) {
        TopicSpec spec = new TopicSpec(isolation.topic("raced"), 3, (short) 1, Map.of("cleanup.policy", "delete"));

        try (Admin racingAdmin = new CreatesFirstAdmin(stack.bootstrapServers())) {
            assertThat(applier.apply(racingAdmin, List.of(spec))).singleElement().satisfies(change -> {
                assertThat(change.action()).isEqualTo(TopicChange.Action.UNCHANGED);
                assertThat(change.detail()).contains("created concurrently");
            });
        }
    }

    /**
     * Once apply returns, a created topic is served by its partitions' leaders: a producer starting at once, even
     * with Kafka's default of five requests in flight, loses nothing. Before apply waited for that, most rounds lost
     * records on the 4.3.1 broker (KAFKA-15591, see {@link ProducerSettings}).
     */
    @Test
    void createdTopicsAreWritableWhenApplyReturns(DevStack stack, TestIsolation isolation) throws Exception {
        try (Admin admin = admin(stack.bootstrapServers())) {
            for (int round = 0; round < 5; round++) {
                TopicSpec spec = new TopicSpec(isolation.topic("burst-" + round), PartitionBurst.PARTITIONS, (short) 1,
                        Map.of());
                assertThat(applier.apply(admin, List.of(spec))).singleElement()
                        .extracting(TopicChange::action).isEqualTo(TopicChange.Action.CREATED);

                PartitionBurst.Result result = PartitionBurst.send(stack.bootstrapServers(), spec.name(), Map.of());

                assertThat(result.failedSends()).as("round %d: sends that failed (first: %s)", round,
                        result.firstFailure()).isZero();
                assertThat(result.recordsOnTopic()).as("round %d: records on the topic", round)
                        .isEqualTo(PartitionBurst.RECORDS);
            }
        }
    }

    /** Creates the topics itself just before passing the request on, as a concurrent client would. */
    private static final class CreatesFirstAdmin extends ForwardingAdmin {
        CreatesFirstAdmin(String bootstrapServers) {
            super(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }

        @Override
        public CreateTopicsResult createTopics(Collection<NewTopic> newTopics, CreateTopicsOptions options) {
            try {
                super.createTopics(newTopics, options).all().get();
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError("the racing create failed", e);
            }
            return super.createTopics(newTopics, options);
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static List<String> names(List<TopicSpec> specs) {
        return specs.stream().map(TopicSpec::name).toList();
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static Config configs(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
