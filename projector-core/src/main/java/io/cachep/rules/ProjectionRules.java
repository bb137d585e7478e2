package io.cachep.rules;

import io.cachep.rules.spi.CustomRules;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole rules file: the namespace every key is written under, how long a delete's tombstone blocks older
 * writes, the rules, and the custom rules they may name.
 */
public record ProjectionRules(String namespace, Duration tombstoneRetention, List<ProjectionRule> rules,
                              CustomRules customRules) {
    public ProjectionRules(String namespace, Duration tombstoneRetention, List<ProjectionRule> rules) {
        this(namespace, tombstoneRetention, rules, CustomRules.none());
    }

    public ProjectionRules {
        rules = List.copyOf(rules);
        new KeyLayout(namespace); // validates the namespace
        if (tombstoneRetention.isNegative() || tombstoneRetention.isZero()) {
            throw new IllegalArgumentException("tombstone retention must be positive");
        }
    }

    /** The topics the rules read, in the order they first appear. */
    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        rules.forEach(r -> topics.add(r.topic()));
        return topics;
    }
}
