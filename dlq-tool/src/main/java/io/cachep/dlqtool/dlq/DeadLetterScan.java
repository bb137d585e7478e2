package io.cachep.dlqtool.dlq;

import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.log.LogReader;
import io.cachep.text.Progress;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the dead-letter topic as it is now, from its start to its current end, for {@code dlq list} and
 * {@code dlq stats}, or one record of it for {@code dlq inspect}. A filter's {@code --partition} and
 * {@code --from-offset} narrow what is read, not only what is shown, so paging through a large DLQ stays quick.
 * Joins no group and commits nothing, like {@link LogReader}.
 */
final class DeadLetterScan {
    private DeadLetterScan() {}

    /** What was read: every record in the range, before the other filters. */
    record Range(String topic, long records) {}

    /** Receives each selected dead letter and whether the replay group has yet to pass it. */
    interface Selected {
        void accept(DeadLetter letter, boolean pending);
    }

    /**
     * Hands each record of the range that the filter selects (and, with {@code pendingOnly}, only those the replay
     * group has not passed) to {@code each}, with progress on {@code err}; throws when the partition does not exist.
     */
    static Range read(ProjectorConfig config, DeadLetterFilter filter, boolean pendingOnly, PrintWriter err,
                      Selected each) throws Exception {
        Map<TopicPartition, Long> replayed = new ReplayGroup(config).positions();
        return read(config, filter, err, letter -> {
            boolean pending = ReplayGroup.pending(replayed, letter);
            if (filter.matches(letter) && (pending || !pendingOnly)) {
                each.accept(letter, pending);
            }
        });
    }

    private static Range read(ProjectorConfig config, DeadLetterFilter filter, PrintWriter err, Consumer<DeadLetter> each) {
        String topic = config.dlqTopic();
        try (LogReader reader = new LogReader(config.kafkaClientProperties())) {
            Map<TopicPartition, Long> ends = new HashMap<>(reader.endOffsets(Set.of(topic)));
            if (filter.partition() != null) {
                ends.keySet().retainAll(Set.of(partition(topic, ends, filter.partition())));
            }
            Map<TopicPartition, Long> starts = new HashMap<>(reader.beginningOffsets(ends.keySet()));
            if (filter.fromOffset() != null) {
                starts.replaceAll((partition, start) -> Math.min(Math.max(start, filter.fromOffset()), ends.get(partition)));
            }
            long total = ends.entrySet().stream().mapToLong(e -> e.getValue() - starts.get(e.getKey())).sum();
            Progress progress = new Progress(err, "reading " + topic, total);
            long[] read = {0};
            reader.readRange(starts, ends, record -> each.accept(new DeadLetter(record)), n -> {
                read[0] = n;
                progress.update(n);
            });
            progress.finish(read[0]);
            return new Range(topic, read[0]);
        }
    }

    /** The record at {@code position}, or NoSuchDeadLetterException saying what the partition does hold. */
    static DeadLetter readOne(ProjectorConfig config, DlqPosition position) {
        String topic = config.dlqTopic();
        try (LogReader reader = new LogReader(config.kafkaClientProperties())) {
            Map<TopicPartition, Long> ends = reader.endOffsets(Set.of(topic));
            TopicPartition partition = partition(topic, ends, position.partition());
            long start = reader.beginningOffsets(Set.of(partition)).get(partition);
            long end = ends.get(partition);
            if (position.offset() < start || position.offset() >= end) {
                throw new NoSuchDeadLetterException("no record at " + position + " in DLQ topic " + topic + ": partition "
                        + position.partition() + (start == end ? " is empty" : " holds offsets " + start + " to " + (end - 1)));
            }
            DeadLetter[] found = {null};
            reader.readRange(Map.of(partition, position.offset()), Map.of(partition, position.offset() + 1), record -> {
                if (record.offset() == position.offset()) {
                    found[0] = new DeadLetter(record);
                }
            }, n -> { });
            if (found[0] == null) {
                // Offsets inside the range can still hold no record: a transaction marker, or one compaction removed.
                throw new NoSuchDeadLetterException("no record at " + position + " in DLQ topic " + topic
                        + " (the offset holds no record, e.g. a transaction marker)");
            }
            return found[0];
        }
    }

    private static TopicPartition partition(String topic, Map<TopicPartition, Long> ends, int number) {
        TopicPartition partition = new TopicPartition(topic, number);
        if (!ends.containsKey(partition)) {
            throw new NoSuchDeadLetterException("DLQ topic " + topic + " has no partition " + number
                    + " (it has 0 to " + (ends.size() - 1) + ")");
        }
        return partition;
    }
}
