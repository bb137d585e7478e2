package io.cachep.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from their earliest offset up to a fixed end (a snapshot of where the log was when the read
 * began), with a consumer of its own that joins no group and commits nothing: verify and rebuild read the log
 * without disturbing the projector.
 */
public final class LogReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    private final KafkaConsumer<byte[], byte[]> consumer;

    public LogReader(Map<String, Object> kafkaClientProperties) {
        Map<String, Object> props = new HashMap<>(kafkaClientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        // What the consumer buffers ahead, over all partitions (50 MB by default): the operator commands run in small
        // heaps (verify of any log in -Xmx256m), and a local read needs no more to stay fast.
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every partition of the topics with its current end offset: the log as of now. */
    public Map<TopicPartition, Long> endOffsets(Set<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic + "' does not exist");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return consumer.endOffsets(partitions, Duration.ofSeconds(30));
    }

    /** The earliest offset still in the log for each partition (more than 0 when retention removed the start). */
    public Map<TopicPartition, Long> beginningOffsets(Set<TopicPartition> partitions) {
        return consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
    }

    /**
     * Hands every record from the start of each partition up to (not including) its end offset to {@code each}, and
     * the count read so far to {@code progress} after each poll.
     */
    public void readUpTo(Map<TopicPartition, Long> ends, Consumer<ConsumerRecord<byte[], byte[]>> each,
                         java.util.function.LongConsumer progress) {
        readRange(beginningOffsets(ends.keySet()), ends, each, progress);
    }

    /** Like {@link #readUpTo}, from the given start offsets (inclusive) to the ends (exclusive). */
    public void readRange(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends,
                          Consumer<ConsumerRecord<byte[], byte[]>> each, java.util.function.LongConsumer progress) {
        Map<TopicPartition, Long> remaining = new HashMap<>();
        ends.forEach((partition, end) -> {
            if (end > starts.getOrDefault(partition, 0L)) {
                remaining.put(partition, end);
            }
        });
        consumer.assign(remaining.keySet());
        remaining.keySet().forEach(partition -> consumer.seek(partition, starts.getOrDefault(partition, 0L)));
        long read = 0;
        while (!remaining.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long end = remaining.get(partition);
                if (end == null || record.offset() >= end) {
                    continue;
                }
                each.accept(record);
                read++;
            }
            for (TopicPartition partition : new ArrayList<>(remaining.keySet())) {
                if (consumer.position(partition) >= remaining.get(partition)) {
                    remaining.remove(partition);
                }
            }
            consumer.assign(remaining.keySet());
            progress.accept(read);
        }
    }

    /**
     * For each partition, the offset of the first record at or after {@code epochMillis} (the end offset when there is
     * none): where a replay "from a time" starts.
     */
    public Map<TopicPartition, Long> offsetsAt(Set<TopicPartition> partitions, long epochMillis) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, epochMillis));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((partition, found) ->
                offsets.put(partition, found == null ? ends.get(partition) : found.offset()));
        return offsets;
    }

    /** The total number of records between the beginnings and the ends, for a progress bar's total. */
    public long count(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> beginnings = beginningOffsets(ends.keySet());
        return ends.entrySet().stream().mapToLong(e -> e.getValue() - beginnings.getOrDefault(e.getKey(), 0L)).sum();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
