package io.cachep.producer.scenario;

/**
 * One record a scenario wants sent: its topic, key and value bytes, and what it is (for counting).
 *
 * @param kind the CloudEvents type, or {@code poison:<what>} for deliberately bad input
 */
public record DemoEvent(String topic, String key, byte[] value, String kind) {
    public boolean isPoison() {
        return kind.startsWith("poison:");
    }
}
