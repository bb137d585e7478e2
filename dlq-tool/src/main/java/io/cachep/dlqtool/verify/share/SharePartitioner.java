package io.cachep.dlqtool.verify.share;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which share a message of the run goes to: an entry's event to the entry's share (murmur2 of the entry key, as
 * Kafka's default partitioner hashes), tag invalidations and end markers to every share (KIP-837 multicast).
 * {@link #shareOf} is the same hash, so a share can tell which keys it answers for when it scans Redis.
 */
final class SharePartitioner implements StreamPartitioner<String, byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, byte[] value, int numPartitions) {
        if (ShareMessage.kindOf(value) == ShareMessage.Kind.ENTRY) {
            return Optional.of(Set.of(shareOf(key, numPartitions)));
        }
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }

    /** The share of an entry (its Redis data key) among {@code shares}. */
    static int shareOf(String entryKey, int shares) {
        return Utils.toPositive(Utils.murmur2(entryKey.getBytes(StandardCharsets.UTF_8))) % shares;
    }
}
