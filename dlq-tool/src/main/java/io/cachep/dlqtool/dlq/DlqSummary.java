package io.cachep.dlqtool.dlq;

import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlqtool.AccessDenied;
import io.cachep.log.LogReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The DLQ at a glance, for {@code status}: how many records it holds, how many the replay group has yet to pass, and
 * when the oldest of each failed. Counts come from offsets and only the first record of each partition is read, so
 * this stays quick on a large DLQ (a DLQ is append-only: the first record of a partition is its oldest failure).
 */
public record DlqSummary(String topic, boolean exists, long records, long pending, Optional<Instant> oldestFailedAt,
                         Optional<Instant> oldestPendingFailedAt) {

    public static DlqSummary read(ProjectorConfig config, Admin admin) throws Exception {
        String topic = config.dlqTopic();
        if (!exists(admin, topic)) {
            return new DlqSummary(topic, false, 0, 0, Optional.empty(), Optional.empty());
        }
        Map<TopicPartition, Long> replayed = new ReplayGroup(config).positions();
        try (LogReader reader = new LogReader(config.kafkaClientProperties())) {
            Map<TopicPartition, Long> ends = reader.endOffsets(Set.of(topic));
            Map<TopicPartition, Long> starts = reader.beginningOffsets(ends.keySet());
            Map<TopicPartition, Long> firstPending = new HashMap<>();
            long records = 0;
            long pending = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                long start = starts.get(end.getKey());
                long next = Math.min(end.getValue(), Math.max(start, replayed.getOrDefault(end.getKey(), 0L)));
                records += end.getValue() - start;
                pending += end.getValue() - next;
                firstPending.put(end.getKey(), next);
            }
            return new DlqSummary(topic, true, records, pending, oldestAt(reader, starts, ends),
                    oldestAt(reader, firstPending, ends));
        }
    }

    /**
     * Described rather than looked up in {@code listTopics}, which leaves out the topics a user may not describe: a
     * missing ACL must fail, not read as "the DLQ does not exist".
     */
    private static boolean exists(Admin admin, String topic) throws Exception {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw AccessDenied.namingTopic(topic, e);
        }
    }

    /** The earliest failure among the records at {@code offsets} (one per partition; none where a partition ends). */
    private static Optional<Instant> oldestAt(LogReader reader, Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> oneAfter = new HashMap<>();
        offsets.forEach((partition, offset) -> oneAfter.put(partition, Math.min(offset + 1, ends.get(partition))));
        Instant[] oldest = {null};
        reader.readRange(offsets, oneAfter, record -> {
            Instant failedAt = new DeadLetter(record).failedAtOrTimestamp();
            oldest[0] = oldest[0] == null || failedAt.isBefore(oldest[0]) ? failedAt : oldest[0];
        }, n -> { });
        return Optional.ofNullable(oldest[0]);
    }
}
