package io.cachep.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A consumer group seen from outside, through the Admin API: its lag, and who holds which partitions. */
final class ConsumerGroups {
    private ConsumerGroups() {}

    /** Records between the group's committed offsets and {@code ends}; a partition never committed counts whole. */
    static long lag(Admin admin, String group, Map<TopicPartition, Long> ends) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += end.getValue() - (offset == null ? 0 : offset.offset());
        }
        return lag;
    }

    /** Partitions assigned to each member, by client id (which names the projector instance and its thread). */
    static Map<String, Integer> partitionsByMember(Admin admin, String group) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(java.util.List.of(group)).all().get().get(group);
        Map<String, Integer> partitions = new TreeMap<>();
        for (MemberDescription member : description.members()) {
            partitions.merge(member.clientId(), member.assignment().topicPartitions().size(), Integer::sum);
        }
        return partitions;
    }
}
