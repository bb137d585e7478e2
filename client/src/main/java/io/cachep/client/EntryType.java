package io.cachep.client;

/** The Redis type of a projected entry, as the rules file's operations leave it (docs/rules.md, "Operations"). */
public enum EntryType {
    /** {@code upsert} with {@code hash}, {@code merge}. */
    HASH("hash"),
    /** {@code upsert} with {@code json}. */
    STRING("string"),
    /** {@code set-add}, {@code set-remove}. */
    SET("set"),
    /** {@code zset-add}, {@code zset-remove}. */
    ZSET("zset"),
    /** No entry: never written, deleted, expired or invalidated. */
    NONE("none");

    private final String redisName;

    EntryType(String redisName) {
        this.redisName = redisName;
    }

    /** The type for Redis's {@code TYPE} reply, or null for a type the projector never writes. */
    static EntryType ofRedis(String name) {
        for (EntryType type : values()) {
            if (type.redisName.equals(name)) {
                return type;
            }
        }
        return null;
    }
}
