package io.cachep.topics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How one topic should look: partitions, replication factor and the topic configs that matter (cleanup.policy,
 * retention.ms, ...). Configs not named here are left to the broker's defaults and not checked for drift.
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, not " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replication factor must be at least 1, not " + replicationFactor);
        }
        SortedMap<String, String> copy = new TreeMap<>(configs);
        copy.forEach((key, value) -> Objects.requireNonNull(value, () -> "topic " + name + ": config " + key));
        configs = Collections.unmodifiableSortedMap(copy);
    }

    /** The same spec for another topic; tests use it to give every test its own topic. */
    public TopicSpec withName(String newName) {
        return new TopicSpec(newName, partitions, replicationFactor, configs);
    }
}
