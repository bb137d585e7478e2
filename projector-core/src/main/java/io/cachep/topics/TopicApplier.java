package io.cachep.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes the cluster's topics match the specs as far as is safe: creates missing topics, never alters existing
 * ones, and reports where an existing topic differs (drift) so a person can decide. Running it twice changes
 * nothing the second time. This is the one code path for the demo, the tests and the projector's --apply-topics.
 */
public final class TopicApplier {
    private static final Duration WRITABLE_WAIT = Duration.ofSeconds(30);
    private static final Duration WRITABLE_POLL = Duration.ofMillis(100);

    /**
     * @return one change per spec, in spec order
     * @throws TopicApplyException if any topic could not be inspected or created; carries every failure
     * @throws IllegalArgumentException if two specs name the same topic
     */
    public List<TopicChange> apply(Admin admin, List<TopicSpec> specs) {
        rejectDuplicateNames(specs);
        if (specs.isEmpty()) {
            return List.of();
        }
        Failures failures = new Failures();
        int liveBrokers = liveBrokers(admin);

        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> existing = new HashMap<>();
        Set<String> absent = new HashSet<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                existing.put(name, await(future));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    absent.add(name);
                } else {
                    failures.add(name, "describe", e.getCause());
                }
            }
        });
        Map<String, Config> existingConfigs = describeConfigs(admin, existing.keySet(), failures);

        List<NewTopic> newTopics = specs.stream()
                .filter(spec -> absent.contains(spec.name()))
                .map(spec -> newTopic(spec, liveBrokers))
                .toList();
        Map<String, KafkaFuture<Void>> creations =
                newTopics.isEmpty() ? Map.of() : admin.createTopics(newTopics).values();

        List<TopicChange> changes = new ArrayList<>();
        for (TopicSpec spec : specs) {
            String name = spec.name();
            if (existingConfigs.containsKey(name)) {
                changes.add(compare(spec, existing.get(name), existingConfigs.get(name), ""));
            } else if (creations.containsKey(name)) {
                try {
                    await(creations.get(name));
                    changes.add(new TopicChange(name, TopicChange.Action.CREATED, createdDetail(spec, liveBrokers)));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        inspectCreatedElsewhere(admin, spec, failures).ifPresent(changes::add);
                    } else {
                        failures.add(name, "create", e.getCause());
                    }
                }
            }
        }
        if (!failures.messages.isEmpty()) {
            throw new TopicApplyException(failures.messages, changes, failures.firstCause);
        }
        // Whoever created them (this call, or another client meanwhile), topics that were absent are new.
        awaitWritable(admin, specs.stream().filter(spec -> absent.contains(spec.name())).toList());
        return List.copyOf(changes);
    }

    /**
     * A created topic is usable once every partition's leader serves it, not as soon as the controller has recorded
     * it: the broker applies the creation from the metadata log a moment later, and until then it answers produce
     * requests with NOT_LEADER_OR_FOLLOWER. An idempotent producer with several requests in flight can then have its
     * first batch refused and its second one accepted, and every retry of the first is refused as out of sequence
     * until its delivery timeout expires (KAFKA-15591, fixed in the broker only from Kafka 4.5): records lost on a
     * topic created a moment before. ListOffsets is answered by the partition's leader under the same condition as a
     * produce, so once it answers for every partition, a producer starting now finds every partition led. The Admin
     * client retries not-yet-led partitions itself; a topic its metadata does not know yet is tried again here.
     */
    private static void awaitWritable(Admin admin, List<TopicSpec> created) {
        if (created.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        created.forEach(spec -> IntStream.range(0, spec.partitions())
                .forEach(p -> partitions.put(new TopicPartition(spec.name(), p), OffsetSpec.latest())));
        long deadline = System.nanoTime() + WRITABLE_WAIT.toNanos();
        while (true) {
            try {
                await(admin.listOffsets(partitions).all());
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new TopicApplyException(List.of("created topics " + created.stream().map(TopicSpec::name)
                            .toList() + " are not served by their partitions' leaders: " + e.getCause()), List.of(),
                            e.getCause());
                }
            }
            LockSupport.parkNanos(WRITABLE_POLL.toNanos());
        }
    }

    private static void rejectDuplicateNames(List<TopicSpec> specs) {
        Set<String> seen = new HashSet<>();
        for (TopicSpec spec : specs) {
            if (!seen.add(spec.name())) {
                throw new IllegalArgumentException("topic " + spec.name() + " is specified twice");
            }
        }
    }

    private static int liveBrokers(Admin admin) {
        try {
            return await(admin.describeCluster().nodes()).size();
        } catch (ExecutionException e) {
            throw new TopicApplyException(List.of("cannot list the cluster's brokers: " + e.getCause()), List.of(),
                    e.getCause());
        }
    }

    private static Map<String, Config> describeConfigs(Admin admin, Set<String> topics, Failures failures) {
        Map<String, Config> configs = new HashMap<>();
        if (topics.isEmpty()) {
            return configs;
        }
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
        admin.describeConfigs(resources).values().forEach((resource, future) -> {
            try {
                configs.put(resource.name(), await(future));
            } catch (ExecutionException e) {
                failures.add(resource.name(), "describe configs", e.getCause());
            }
        });
        return configs;
    }

    /** Another client created the topic between our look and our create: judge it like any existing topic. */
    private static Optional<TopicChange> inspectCreatedElsewhere(Admin admin, TopicSpec spec,
                                                                           Failures failures) {
        String prefix = "created concurrently by another client; ";
        try {
            TopicDescription description = await(admin.describeTopics(List.of(spec.name()))
                    .topicNameValues().get(spec.name()));
            Config config = await(admin.describeConfigs(
                    List.of(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))).all()).values()
                    .iterator().next();
            return Optional.of(compare(spec, description, config, prefix));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // The creator's metadata has not reached the broker we asked yet; it exists, we just cannot check it.
                return Optional.of(new TopicChange(spec.name(), TopicChange.Action.UNCHANGED,
                        prefix + "not visible yet, so not compared with the spec"));
            }
            failures.add(spec.name(), "describe", e.getCause());
            return Optional.empty();
        }
    }

    private static NewTopic newTopic(TopicSpec spec, int liveBrokers) {
        return new NewTopic(spec.name(), spec.partitions(), replicationFactor(spec, liveBrokers))
                .configs(spec.configs());
    }

    /** Production specs ask for 3 replicas; a one-broker dev cluster can only hold 1, so cap to what exists. */
    private static short replicationFactor(TopicSpec spec, int liveBrokers) {
        return liveBrokers > 0 ? (short) Math.min(spec.replicationFactor(), liveBrokers) : spec.replicationFactor();
    }

    private static String createdDetail(TopicSpec spec, int liveBrokers) {
        short replication = replicationFactor(spec, liveBrokers);
        String detail = "created with " + spec.partitions() + " partitions, replication factor " + replication;
        if (!spec.configs().isEmpty()) {
            detail += ", configs " + spec.configs();
        }
        if (replication < spec.replicationFactor()) {
            detail += "; replication factor capped from " + spec.replicationFactor() + " to " + replication
                    + " because the cluster has " + liveBrokers + " live broker" + (liveBrokers == 1 ? "" : "s");
        }
        return detail;
    }

    /**
     * Partitions and the spec's configs are compared; the replication factor is not, because it was capped to the
     * broker count at creation and would otherwise read as drift on every dev cluster.
     */
    private static TopicChange compare(TopicSpec spec, TopicDescription description, Config config, String prefix) {
        List<String> differences = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            differences.add("partitions: topic has " + partitions + ", spec wants " + spec.partitions());
        }
        spec.configs().forEach((key, wanted) -> {
            ConfigEntry entry = config.get(key);
            String actual = entry == null ? null : entry.value();
            if (!normalise(wanted).equals(normalise(actual))) {
                differences.add(key + ": topic has " + (actual == null ? "no value" : actual) + ", spec wants "
                        + wanted);
            }
        });
        if (differences.isEmpty()) {
            int replicas = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
            return new TopicChange(spec.name(), TopicChange.Action.UNCHANGED,
                    prefix + "matches the spec (" + partitions + " partitions, replication factor " + replicas + ")");
        }
        return new TopicChange(spec.name(), TopicChange.Action.DRIFT,
                prefix + "left as it is; differs from the spec: " + String.join("; ", differences));
    }

    /** "compact, delete" and "compact,delete" are the same list to the broker. */
    private static String normalise(String value) {
        return value == null ? "" : value.strip().replaceAll("\\s*,\\s*", ",");
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(); // bounded by the Admin client's default.api.timeout.ms
        } catch (InterruptedException e) {
            throw new InterruptException(e); // re-sets the interrupt flag
        }
    }

    /** Every failure, so one run reports them all. */
    private static final class Failures {
        private final List<String> messages = new ArrayList<>();
        private Throwable firstCause;

        void add(String topic, String operation, Throwable cause) {
            messages.add("topic " + topic + ": " + operation + " failed: " + cause);
            if (firstCause == null) {
                firstCause = cause;
            }
        }
    }
}
