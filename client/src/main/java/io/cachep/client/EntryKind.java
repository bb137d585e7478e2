package io.cachep.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read an entry: the Redis type the rules file gives it and the Java type it is returned as.
 * {@link #json(Class)} binds a JSON string (an {@code upsert} with {@code json}) to a class of the service's.
 *
 * @param <T> the Java type of the value
 */
public final class EntryKind<T> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A hash ({@code upsert} with {@code hash}, {@code merge}) as an unmodifiable map of field to value. */
    @SuppressWarnings("unchecked")
    public static final EntryKind<Map<String, String>> HASH =
            new EntryKind<>(EntryType.HASH, "a hash", (key, value) -> (Map<String, String>) value);
    /** A string as its text. */
    public static final EntryKind<String> STRING = new EntryKind<>(EntryType.STRING, "a string", (key, value) -> (String) value);
    /** A JSON string ({@code upsert} with {@code json}) as a tree. */
    public static final EntryKind<JsonNode> JSON_TREE =
            new EntryKind<>(EntryType.STRING, "a JSON string", (key, value) -> parse(key, (String) value, JsonNode.class));
    /** A set as an unmodifiable set of members. */
    @SuppressWarnings("unchecked")
    public static final EntryKind<Set<String>> SET = new EntryKind<>(EntryType.SET, "a set", (key, value) -> (Set<String>) value);
    /** A sorted set as an unmodifiable list of members in score order. */
    @SuppressWarnings("unchecked")
    public static final EntryKind<List<ScoredMember>> SORTED_SET =
            new EntryKind<>(EntryType.ZSET, "a sorted set", (key, value) -> (List<ScoredMember>) value);

    /**
     * Whatever type the entry is, as its natural Java value: a hash as a map, a string as its text, a set as a set,
     * a sorted set as a list of scored members. For tools that show entries of every kind.
     */
    public static final EntryKind<Object> ANY = new EntryKind<>(null, "any type", (key, value) -> value);

    private final EntryType type;
    private final String description;
    private final Decoder<T> decoder;

    private EntryKind(EntryType type, String description, Decoder<T> decoder) {
        this.type = type;
        this.description = description;
        this.decoder = decoder;
    }

    /** A JSON string bound to {@code type} with Jackson (unknown properties are an error unless the class says not). */
    public static <T> EntryKind<T> json(Class<T> type) {
        return new EntryKind<>(EntryType.STRING, "a JSON " + type.getSimpleName(), (key, value) -> parse(key, (String) value, type));
    }

    /** The value of a present entry of the right type, as {@code T}. */
    T decode(String key, Object value) {
        return decoder.decode(key, value);
    }

    /** Refuses an entry Redis holds as another type than this kind reads. */
    void requireType(String key, EntryType actual) {
        if (type != null && actual != EntryType.NONE && actual != type) {
            throw new WrongEntryTypeException(key + " was read as " + description + " but Redis holds a "
                    + actual.name().toLowerCase(java.util.Locale.ROOT) + ": read it with the kind the rules file gives it");
        }
    }

    private static <R> R parse(String key, String text, Class<R> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new CachepClientException(key + " does not hold JSON readable as " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(String key, Object value);
    }
}
