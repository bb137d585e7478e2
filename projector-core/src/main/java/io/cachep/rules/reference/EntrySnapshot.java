package io.cachep.rules.reference;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Redis entry as a reader sees it: its type, its value, and its absolute expiry. The reference projection
 * says what each entry should be; a snapshot of Redis says what it is; verify compares the two.
 *
 * @param value          a {@code Map<String,String>} for a hash, a {@code String} for a string, a
 *                       {@code Set<String>} for a set, a {@code Map<String,Double>} (member to score) for a zset
 * @param expireAtMillis the absolute expiry in epoch millis, or null when the entry does not expire
 */
public record EntrySnapshot(String key, Type type, Object value, Long expireAtMillis) {
    public enum Type { HASH, STRING, SET, ZSET }

    public EntrySnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        boolean fits = switch (type) {
            case HASH, ZSET -> value instanceof Map<?, ?>;
            case STRING -> value instanceof String;
            case SET -> value instanceof Set<?>;
        };
        if (!fits) {
            throw new IllegalArgumentException("a " + type + " entry cannot hold a " + value.getClass().getSimpleName());
        }
    }
}
