package io.cachep.client;

/**
 * Where a namespace's entries and their fences live in Redis (docs/rules.md, "Templates" and "Fencing metadata"):
 * the entry {@code session:{s-17}} of namespace {@code demo} is {@code demo:session:{s-17}}, its fence
 * {@code demo:~fence:session:{s-17}}. Keys starting with {@code ~} are cachep's metadata, never entries.
 */
final class EntryKeys {
    private static final String FENCE = "~fence:";

    private final String prefix;

    EntryKeys(String namespace) {
        if (namespace == null || !namespace.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("namespace '" + namespace
                    + "' is not a cachep namespace ([A-Za-z0-9][A-Za-z0-9_.-]*, as in the rules file)");
        }
        this.prefix = namespace + ":";
    }

    /** The prefix every key of the namespace starts with, which the invalidation link tracks. */
    String prefix() {
        return prefix;
    }

    /** The entry's Redis key for a key within the namespace, refusing cachep's metadata keys. */
    String entry(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an entry key is needed (e.g. session:{s-17})");
        }
        if (key.startsWith("~")) {
            throw new IllegalArgumentException("'" + key + "' is cachep's metadata (keys starting with ~), not an entry");
        }
        return prefix + key;
    }

    /** The fence of an entry, by the entry's Redis key. */
    String fenceOf(String entryKey) {
        return prefix + FENCE + entryKey.substring(prefix.length());
    }

    /** The key within the namespace for an entry's Redis key. */
    String local(String entryKey) {
        return entryKey.substring(prefix.length());
    }

    /**
     * The entry a changed Redis key stands for: the key itself for an entry, the entry for its fence (a delete of an
     * absent entry, an expiry refresh or a member's version changes only the fence), null for other metadata (tag
     * indexes, rebuild's shadow) and for keys outside the namespace.
     */
    String entryOfChanged(String redisKey) {
        if (!redisKey.startsWith(prefix)) {
            return null;
        }
        if (redisKey.startsWith(FENCE, prefix.length())) {
            return prefix + redisKey.substring(prefix.length() + FENCE.length());
        }
        return redisKey.startsWith("~", prefix.length()) ? null : redisKey;
    }
}
