package io.cachep.dlqtool.verify.share;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a shared verify run is of, fixed once by its first process and kept in Redis: the rules it projects with, into
 * how many shares the entries are split, and per source partition the range of the log it reads, from the first offset
 * to the last data record below the end offset of that moment ({@code last} is -1 for a partition with nothing in
 * range). Records past {@code last} are not part of the run.
 */
record RunDescriptor(String run, String namespace, String rulesDigest, int shares, String createdAt,
                     List<Bound> partitions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Bound(String topic, int partition, long first, long last, long end) {
        /** The source partition's id in end markers: {@code topic-partition}. */
        String id() {
            return topic + "-" + partition;
        }

        boolean hasData() {
            return last >= first && last >= 0;
        }
    }

    /** The source partitions each share waits for an end marker of. */
    Set<String> partitionsWithData() {
        return partitions.stream().filter(Bound::hasData).map(Bound::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The last data record's offset per source partition id (-1: nothing in range). */
    Map<String, Long> lastOffsets() {
        return partitions.stream().collect(Collectors.toUnmodifiableMap(Bound::id, Bound::last));
    }

    /** The records in the run's range (markers and compaction gaps included, as the plain verify counts them). */
    long records() {
        return partitions.stream().filter(Bound::hasData).mapToLong(b -> b.last() + 1 - b.first()).sum();
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RunDescriptor fromJson(String json) {
        try {
            return JSON.readValue(json, RunDescriptor.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the run descriptor in Redis is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
