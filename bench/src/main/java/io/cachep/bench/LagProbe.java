package io.cachep.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's progress against the end of its topics, through the Admin API, as an operator would see it. */
final class LagProbe {
    private static final Duration POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final String group;
    private final List<String> topics;

    LagProbe(Admin admin, String group, List<String> topics) {
        this.admin = admin;
        this.group = group;
        this.topics = topics;
    }

    /** The end offset of every partition of the topics, now. */
    Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Waits until the group has committed up to the end offsets as they are now: everything produced so far is done. */
    void awaitZero(Duration timeout) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = endOffsets();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ConsumerGroups.lag(admin, group, ends) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("group " + group + " still lags " + ConsumerGroups.lag(admin, group, ends)
                        + " records after " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
