package io.cachep.dlqtool;

import io.cachep.log.GroupOffsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The projector's consumer group as the Admin API sees it: its state, its live members and what each is assigned,
 * and per partition of the projector's topics the committed offset against the log end (the lag). Read-only.
 *
 * @param state         the group state ({@code Stable}, {@code Empty}, ...), or empty when the broker knows no such group
 * @param missingTopics topics the rules read that do not exist (a deleted topic the group once read is left out)
 */
record GroupStatus(String groupId, Optional<String> state, List<Member> members, List<PartitionLag> partitions,
                   List<String> missingTopics) {
    static final Comparator<TopicPartition> PARTITION_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    record Member(String memberId, String clientId, String host, Optional<String> instanceId, List<TopicPartition> partitions) {}

    /**
     * @param committed the group's committed offset, empty when it never committed one for this partition
     * @param start     the log's first offset: where a projector without a commit starts (it reads from the earliest)
     * @param owner     the member the partition is assigned to, if any
     */
    record PartitionLag(TopicPartition partition, Optional<Long> committed, long start, long end, Optional<Member> owner) {
        /** Records the projector has yet to process; without a commit, everything still in the log. */
        long lag() {
            return Math.max(0, end - committed.orElse(start));
        }
    }

    long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    boolean hasCommits() {
        return partitions.stream().anyMatch(p -> p.committed().isPresent());
    }

    /** Reads the group's description and offsets, and the end offsets of {@code topics} and of every committed partition. */
    static GroupStatus read(Admin admin, String groupId, Collection<String> topics) throws Exception {
        Optional<ConsumerGroupDescription> description = describe(admin, groupId);
        List<Member> members = new ArrayList<>();
        Map<TopicPartition, Member> owners = new HashMap<>();
        description.ifPresent(d -> d.members().forEach(m -> members.add(member(m))));
        members.sort(Comparator.comparing(Member::clientId).thenComparing(Member::memberId));
        members.forEach(m -> m.partitions().forEach(p -> owners.put(p, m)));

        Map<TopicPartition, Long> committed = GroupOffsets.committed(admin, groupId);
        // The rules' topics, and any other the group committed on (a topic the rules no longer read still shows).
        Set<String> described = new TreeSet<>(topics);
        committed.keySet().forEach(p -> described.add(p.topic()));
        Set<TopicPartition> partitions = new TreeSet<>(PARTITION_ORDER);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(described).topicNameValues().entrySet()) {
            try {
                topic.getValue().get().partitions().forEach(p -> partitions.add(new TopicPartition(topic.getKey(), p.partition())));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw AccessDenied.namingTopic(topic.getKey(), e);
                }
                if (topics.contains(topic.getKey())) {
                    missing.add(topic.getKey());
                }
            }
        }
        Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
        List<PartitionLag> lag = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            lag.add(new PartitionLag(partition, Optional.ofNullable(committed.get(partition)), starts.get(partition),
                    ends.get(partition), Optional.ofNullable(owners.get(partition))));
        }
        return new GroupStatus(groupId, description.map(d -> d.groupState().toString()), members, lag, missing);
    }

    private static Member member(MemberDescription m) {
        List<TopicPartition> assigned = new ArrayList<>(m.assignment().topicPartitions());
        assigned.sort(PARTITION_ORDER);
        return new Member(m.consumerId(), m.clientId(), m.host(), m.groupInstanceId(), assigned);
    }

    /** Empty when the broker knows no such group (a projector never ran with this application id). */
    private static Optional<ConsumerGroupDescription> describe(Admin admin, String groupId) throws Exception {
        try {
            return Optional.ofNullable(admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(query).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }
}
