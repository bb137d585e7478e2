package io.cachep.rules;

import java.util.List;

/** Events of {@code type} on {@code topic} yield {@code mutations}, in order. */
public record ProjectionRule(String name, String topic, String type, List<MutationTemplate> mutations) {
    public ProjectionRule {
        mutations = List.copyOf(mutations);
    }
}
