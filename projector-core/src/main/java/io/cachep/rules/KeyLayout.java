package io.cachep.rules;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where Redis key formats are decided.
 *
 * <p>Every key a projection writes is {@code <namespace>:<rendered key>}. Its fencing metadata lives beside it at
 * {@code <namespace>:~fence:<rendered key>}: same namespace (so rebuild and verify find it), same hash tag (so one
 * Lua call can check and write both, on one Redis Cluster slot), and a {@code ~} segment that no rendered key may
 * start with, so metadata can never collide with data.
 */
public final class KeyLayout {
    /** Namespaces are plain words: a brace would steal the hash tag, a colon would blur the prefix. */
    public static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    static final String FENCE_SEGMENT = "~fence:";
    static final String TAG_SEGMENT = "~tag:";
    static final String TAG_FLUSH_SEGMENT = "~tagflush:";
    static final String TAG_SHARD_SEGMENT = "~tagshard:";
    static final String TAG_SHARD_FLUSH_SEGMENT = "~tagshardflush:";
    static final String TAG_SLOTS_SEGMENT = "~tagslots:";
    static final String SHADOW_SEGMENT = "~rebuild";
    static final String VERIFY_RUN_SEGMENT = "~verify-run:";
    static final String FOLLOW_LEASE_SEGMENT = "~verify-follower";
    /** Keys of rules may not start with this: it marks cachep's own metadata. */
    public static final char RESERVED_PREFIX = '~';

    private final String namespace;
    private final boolean shadow;

    public KeyLayout(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must match " + NAMESPACE.pattern() + ", was '" + namespace + "'");
        }
        this.namespace = namespace;
        this.shadow = false;
    }

    /** A layout under a prefix no rules file can name (see {@link #shadow()}); not validated as a namespace. */
    private KeyLayout(String prefix, boolean shadow) {
        this.namespace = prefix;
        this.shadow = shadow;
    }

    /**
     * Where rebuild reconstructs this namespace beside the live one: entries at {@code <namespace>:~rebuild:<key>},
     * fences at {@code <namespace>:~rebuild:~fence:<key>}. These keys are metadata of the live namespace (readers,
     * verify and the projector never see them), carry the live entry's hash tag (one script promotes an entry on one
     * Redis Cluster slot), and no rules file can write them ({@code ~} is reserved).
     */
    public KeyLayout shadow() {
        return new KeyLayout(namespace + ':' + SHADOW_SEGMENT, true);
    }

    /** True for the layout {@link #shadow()} returns. */
    public boolean isShadow() {
        return shadow;
    }

    /** The namespace (for a {@link #shadow()} layout, its prefix {@code <namespace>:~rebuild}). */
    public String namespace() {
        return namespace;
    }

    /** The keys for a rendered rule key such as {@code session:{s-17}}. */
    public EntryKey entry(String renderedKey) {
        String data = namespace + ':' + renderedKey;
        return new EntryKey(data, namespace + ':' + FENCE_SEGMENT + renderedKey, hashTag(data));
    }

    /** The keys of an entry given its data key (as a tag index lists it). */
    public EntryKey entryOfDataKey(String dataKey) {
        String prefix = namespace + ':';
        if (!dataKey.startsWith(prefix) || isMetadata(dataKey)) {
            throw new IllegalArgumentException("not a data key of namespace " + namespace + ": " + dataKey);
        }
        return entry(dataKey.substring(prefix.length()));
    }

    /** The keys of a rendered tag such as {@code tenant:{t-1}}. */
    public TagKey tag(String renderedTag) {
        String index = namespace + ':' + TAG_SEGMENT + renderedTag;
        return new TagKey(renderedTag, index, namespace + ':' + TAG_FLUSH_SEGMENT + renderedTag, hashTag(index));
    }

    /**
     * On a Redis Cluster, the index shard of {@code tag} on one slot: the registrations of the tag's entries that hash
     * to that slot, and the shard's invalidation marker. The slot's token comes first, so its braces (not the tag's)
     * are the keys' hash tag. See docs/architecture.md, "Tags across slots".
     */
    public TagKey tagShard(TagKey tag, int slot) {
        String token = SlotTokens.of(slot);
        return new TagKey(tag.name(), namespace + ':' + TAG_SHARD_SEGMENT + '{' + token + "}:" + tag.name(),
                namespace + ':' + TAG_SHARD_FLUSH_SEGMENT + '{' + token + "}:" + tag.name(), token);
    }

    /** On a Redis Cluster, the set of slots that have an index shard of {@code tag}; on the tag's own slot. */
    public String tagSlots(TagKey tag) {
        return namespace + ':' + TAG_SLOTS_SEGMENT + tag.name();
    }

    /**
     * The descriptor of a shared verify run ({@code dlq-tool verify --run}): {@code <namespace>:~verify-run:<run>};
     * the run's other keys add a suffix ({@code :shares}, {@code :members}).
     */
    public String verifyRun(String run) {
        return namespace + ':' + VERIFY_RUN_SEGMENT + run;
    }

    /**
     * Who follows the namespace's log ({@code dlq-tool verify --follow}, or a projector with
     * {@code projector.verify.follow}): {@code <namespace>:~verify-follower}, one follower at a time.
     */
    public String followLease() {
        return namespace + ':' + FOLLOW_LEASE_SEGMENT;
    }

    /** The pattern that matches every key of the namespace, data and metadata alike. */
    public String scanPattern() {
        return namespace + ":*";
    }

    /** The pattern that matches every fence of the namespace. */
    public String fenceScanPattern() {
        return namespace + ':' + FENCE_SEGMENT + '*';
    }

    /** The pattern that matches the index and the invalidation marker of every tag of the namespace. */
    public String tagScanPattern() {
        return namespace + ":~tag*";
    }

    /** The rendered key of an entry's data key or fence key in this namespace; empty for any other key. */
    public Optional<String> renderedKeyOf(String key) {
        String prefix = namespace + ':';
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        if (rest.startsWith(FENCE_SEGMENT) && rest.length() > FENCE_SEGMENT.length()) {
            return Optional.of(rest.substring(FENCE_SEGMENT.length()));
        }
        return rest.charAt(0) == RESERVED_PREFIX ? Optional.empty() : Optional.of(rest);
    }

    /**
     * The rendered tag of a tag's index, invalidation marker or (on a Redis Cluster, where the tag's own index stays
     * empty) registry of slots, in this namespace; empty for any other key, index shards included.
     */
    public Optional<String> renderedTagOf(String key) {
        for (String segment : new String[] {TAG_SEGMENT, TAG_FLUSH_SEGMENT, TAG_SLOTS_SEGMENT}) {
            String prefix = namespace + ':' + segment;
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return Optional.of(key.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /** True for keys that hold cachep's metadata rather than projected data. */
    public boolean isMetadata(String key) {
        return key.startsWith(namespace + ':' + RESERVED_PREFIX);
    }

    /**
     * The part of a key Redis Cluster hashes: the text between the first '{' and the first '}' after it, when
     * that is non-empty; otherwise the whole key. The same rule as Redis's own {@code keyHashSlot}.
     */
    public static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }
}
