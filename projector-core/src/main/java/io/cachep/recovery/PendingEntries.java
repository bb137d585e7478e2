package io.cachep.recovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Entries the followed log has changed in records the projector has not committed yet: Redis may not hold those writes,
 * so comparing such an entry would report a write in flight as a divergence. An entry is due for comparison once the
 * projector's committed offset has passed every record that changed it (it commits only what Redis has).
 */
final class PendingEntries {
    /** Per entry, the highest offset per partition that changed it. */
    private final Map<String, Map<TopicPartition, Long>> changes = new HashMap<>();

    void changed(String key, TopicPartition partition, long offset) {
        changes.computeIfAbsent(key, k -> new HashMap<>(2)).merge(partition, offset, Math::max);
    }

    boolean contains(String key) {
        return changes.containsKey(key);
    }

    int size() {
        return changes.size();
    }

    /** Whether a record at or after {@code committed} (per partition) changed the entry: a write maybe in flight. */
    boolean changedSince(String key, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> changed = changes.get(key);
        return changed != null && changed.entrySet().stream()
                .anyMatch(change -> change.getValue() >= committed.getOrDefault(change.getKey(), 0L));
    }

    /**
     * Removes and returns the entries whose every change the projector has committed ({@code committed}: the next
     * offset it will read, per partition, as its consumer group holds it).
     */
    List<String> passed(Map<TopicPartition, Long> committed) {
        List<String> due = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<TopicPartition, Long>>> it = changes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<TopicPartition, Long>> entry = it.next();
            boolean allPassed = entry.getValue().entrySet().stream()
                    .allMatch(change -> committed.getOrDefault(change.getKey(), -1L) > change.getValue());
            if (allPassed) {
                due.add(entry.getKey());
                it.remove();
            }
        }
        return due;
    }
}
