package io.cachep.dlqtool.dlq;

import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.log.GroupOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The DLQ replay's own consumer group ({@code <application id>-dlq-replay}): where the last replay or purge left
 * off, so a second run does not replay the same records again. Positions are read and written through the Admin
 * API; the records are read by a consumer that joins no group.
 */
public final class ReplayGroup {
    private static final Duration POLL = Duration.ofMillis(500);

    private final ProjectorConfig config;

    public ReplayGroup(ProjectorConfig config) {
        this.config = config;
    }

    public String groupId() {
        return config.applicationId() + "-dlq-replay";
    }

    /** The DLQ records after the group's position, up to the DLQ's end as of now, and that end. */
    public record Batch(List<DeadLetter> letters, Map<TopicPartition, Long> ends, long skippedBefore) {}

    public Batch readPending(LongConsumer progress) throws Exception {
        Map<String, Object> props = new HashMap<>(config.kafkaClientProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        Map<TopicPartition, Long> committed = positions();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(config.dlqTopic(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            long skippedBefore = 0;
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition partition : partitions) {
                long start = Math.max(beginnings.get(partition), committed.getOrDefault(partition, 0L));
                skippedBefore += start - beginnings.get(partition);
                consumer.seek(partition, start);
                if (start < ends.get(partition)) {
                    remaining.put(partition, ends.get(partition));
                }
            }
            List<DeadLetter> letters = new ArrayList<>();
            consumer.assign(remaining.keySet());
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Long end = remaining.get(new TopicPartition(record.topic(), record.partition()));
                    if (end != null && record.offset() < end) {
                        letters.add(new DeadLetter(record));
                    }
                }
                remaining.keySet().removeIf(p -> consumer.position(p) >= remaining.get(p));
                consumer.assign(remaining.keySet());
                progress.accept(letters.size());
            }
            return new Batch(letters, ends, skippedBefore);
        }
    }

    /**
     * Where the last replay or purge left off in each DLQ partition: the offset of the first record not yet replayed
     * or purged. Partitions never replayed are absent (everything in them is pending).
     */
    public Map<TopicPartition, Long> positions() throws Exception {
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            return GroupOffsets.committed(admin, groupId());
        }
    }

    /** Whether the replay group has not passed this record yet, given its {@link #positions()}. */
    public static boolean pending(Map<TopicPartition, Long> positions, DeadLetter letter) {
        return letter.dlqOffset() >= positions.getOrDefault(
                new TopicPartition(letter.record().topic(), letter.dlqPartition()), 0L);
    }

    /** Moves the group to these positions (offsets of the next record to look at). */
    public void advanceTo(Map<TopicPartition, Long> positions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            admin.alterConsumerGroupOffsets(groupId(), offsets).all().get();
        }
    }
}
