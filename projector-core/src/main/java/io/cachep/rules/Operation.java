package io.cachep.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every operation of the rules language, declared once: what the rules file calls it and which fields it takes, the
 * Redis type it writes, the opcodes the library's {@code apply} knows it by, and the properties the loader, rebuild and
 * the docs decide by. {@link Mutation} and {@link MutationTemplate} carry their operation, and code that must handle
 * every one of them dispatches through their visitors, so a missing case does not compile; {@code OperationTableTest}
 * holds the library, the loader and docs/rules.md to this table. docs/architecture.md ("Adding an operation") lists
 * what else changes with a new one.
 */
public enum Operation {
    UPSERT("upsert", writeFields("key", "hash", "json"), List.of("hash", "string"), List.of("UH", "US"),
            true, false, true),
    MERGE("merge", writeFields("key", "hash-from", "hash"), List.of("hash"), List.of("M"), false, false, false),
    DELETE("delete", Set.of("key"), List.of(), List.of("D"), true, true, true),
    INVALIDATE("invalidate", Set.of("key", "channel"), List.of(), List.of("D"), true, true, true),
    EXPIRE("expire", Set.of("key", "ttl", "expires-at"), List.of(), List.of("X"), true, false, false),
    SET_ADD("set-add", writeFields("key", "member"), List.of("set"), List.of("SA"), false, false, false),
    SET_REMOVE("set-remove", Set.of("key", "member"), List.of("set"), List.of("SR"), false, true, false),
    ZSET_ADD("zset-add", writeFields("key", "member", "score"), List.of("zset"), List.of("ZA"), false, false, false),
    ZSET_REMOVE("zset-remove", Set.of("key", "member"), List.of("zset"), List.of("ZR"), false, true, false),
    INVALIDATE_TAG("invalidate-tag", Set.of("tag"), List.of(), List.of("F"), false, false, true);

    private final String ruleName;
    private final Set<String> fields;
    private final List<String> redisTypes;
    private final List<String> opcodes;
    private final boolean wholeEntry;
    private final boolean onTombstone;
    private final boolean exactFromCompactedTopic;

    /**
     * @param ruleName                its name in the rules file
     * @param fields                  the fields the rules file accepts for it
     * @param redisTypes              the types it writes the entry as (none for those that only remove or expire)
     * @param opcodes                 what the library's apply calls it (a tag invalidation reaches each entry as F)
     * @param wholeEntry              writes or removes the entry as a whole, so it may write a tagged key
     * @param onTombstone             an on-tombstone rule may use it (it needs no event data)
     * @param exactFromCompactedTopic the latest event of a key is enough to rebuild what it wrote, so a compacted
     *                                topic rebuilds it exactly
     */
    Operation(String ruleName, Set<String> fields, List<String> redisTypes, List<String> opcodes, boolean wholeEntry,
              boolean onTombstone, boolean exactFromCompactedTopic) {
        this.ruleName = ruleName;
        this.fields = fields;
        this.redisTypes = redisTypes;
        this.opcodes = opcodes;
        this.wholeEntry = wholeEntry;
        this.onTombstone = onTombstone;
        this.exactFromCompactedTopic = exactFromCompactedTopic;
    }

    public String ruleName() {
        return ruleName;
    }

    public Set<String> fields() {
        return fields;
    }

    public List<String> redisTypes() {
        return redisTypes;
    }

    public List<String> opcodes() {
        return opcodes;
    }

    public boolean wholeEntry() {
        return wholeEntry;
    }

    public boolean onTombstone() {
        return onTombstone;
    }

    public boolean exactFromCompactedTopic() {
        return exactFromCompactedTopic;
    }

    /** May carry {@code ttl}, {@code expires-at} and (upsert only) {@code tags}. */
    public boolean isWrite() {
        return fields.contains("tags");
    }

    /** The operation the rules file calls {@code ruleName}. */
    public static Optional<Operation> ofRuleName(String ruleName) {
        return Arrays.stream(values()).filter(op -> op.ruleName.equals(ruleName)).findFirst();
    }

    /** Every rules-file name, sorted. */
    public static Set<String> ruleNames() {
        Set<String> names = new TreeSet<>();
        for (Operation op : values()) {
            names.add(op.ruleName);
        }
        return names;
    }

    /** The rules-file names of the operations that have {@code property}, sorted (for messages). */
    public static Set<String> ruleNamesWhere(java.util.function.Predicate<Operation> property) {
        Set<String> names = new TreeSet<>();
        for (Operation op : values()) {
            if (property.test(op)) {
                names.add(op.ruleName);
            }
        }
        return names;
    }

    /** A write's own fields, and what every write may carry besides (a method: the constants are built first). */
    private static Set<String> writeFields(String... own) {
        Set<String> all = new java.util.HashSet<>(Set.of("ttl", "expires-at", "tags"));
        all.addAll(List.of(own));
        return Set.copyOf(all);
    }
}
