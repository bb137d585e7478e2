package io.cachep.dlqtool.verify.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds a run's range of the log: per partition of the rules' topics, the first offset, the end offset, and the offset
 * of the last data record below the end. That is not always {@code end - 1}: transaction markers take offsets and
 * compaction leaves gaps, so the last record is found by reading a window before the end (widened until a record
 * turns up or the start is reached).
 */
final class RunBounds {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long FIRST_WINDOW = 64;

    private RunBounds() {}

    static List<RunDescriptor.Bound> of(Map<String, Object> kafkaClientProperties, Collection<String> topics) {
        Map<String, Object> props = new HashMap<>(kafkaClientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Kafka Streams reads the run at least once, uncommitted records included; the bounds must see the same.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic '" + topic + "' does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            Map<TopicPartition, Long> firsts = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            List<RunDescriptor.Bound> bounds = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                long first = firsts.get(partition);
                long end = ends.get(partition);
                bounds.add(new RunDescriptor.Bound(partition.topic(), partition.partition(), first,
                        lastRecord(consumer, partition, first, end), end));
            }
            return bounds;
        }
    }

    /** The offset of the last record in [first, end), or -1 when there is none. */
    private static long lastRecord(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long first, long end) {
        consumer.assign(List.of(partition));
        long window = FIRST_WINDOW;
        long to = end;
        while (to > first) {
            long from = Math.max(first, to - window);
            consumer.seek(partition, from);
            long last = -1;
            while (consumer.position(partition, TIMEOUT) < to) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < to) {
                        last = Math.max(last, record.offset());
                    }
                }
            }
            if (last >= 0) {
                return last;
            }
            to = from;
            window *= 4;
        }
        return -1;
    }
}
