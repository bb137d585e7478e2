package io.cachep.rules;

import java.util.List;

/**
 * Events of {@code type} on {@code topic} yield {@code mutations}, in order, or, for a custom rule, whatever the
 * {@link io.cachep.rules.spi.CustomRule} named {@code custom} returns.
 *
 * <p>A rule whose type is {@link #TOMBSTONE_TYPE} ({@code on-tombstone: true} in the file) matches Kafka
 * tombstones (records with a null value) on its topic.
 */
public record ProjectionRule(String name, String topic, String type, List<MutationTemplate> mutations, String custom) {
    /** The type a Kafka tombstone is given, so on-tombstone rules match it like any other type. */
    public static final String TOMBSTONE_TYPE = "kafka.tombstone";

    public ProjectionRule {
        mutations = List.copyOf(mutations);
    }

    public ProjectionRule(String name, String topic, String type, List<MutationTemplate> mutations) {
        this(name, topic, type, mutations, null);
    }

    public boolean isCustom() {
        return custom != null;
    }
}
