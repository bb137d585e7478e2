package io.cachep.apply;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An entry's fence as Redis holds it beside the entry (docs/rules.md, "Fencing metadata"), read from its hash: the
 * Java view of what the library's {@code common.lua} packs. Both layouts are read: layout 2 packs the registers into
 * the field {@code b}; layout 1 (written before the lean fence) has a field per register.
 *
 * @param version         the version of the last whole-entry write (upsert, delete), or null
 * @param deleted         whether that write was a delete (the fence is a tombstone)
 * @param expireAtMillis  the entry's expiry, epoch ms, or null
 * @param expiryVersion   the version that set the expiry (or removed it, by a delete), or null
 * @param lastWriteTime   the latest event time of a write, epoch ms, or null
 * @param tagFlushedAt    the latest tag invalidation that reached the entry, epoch ms, or null
 * @param fieldVersions   per merged field, the version of its last write
 * @param memberVersions  per set or sorted-set member, the version of its last add or remove
 */
public record Fence(Long version, boolean deleted, Long expireAtMillis, Long expiryVersion, Long lastWriteTime,
                    Long tagFlushedAt, Map<String, Long> fieldVersions, Map<String, Long> memberVersions) {
    /** The field that holds the packed registers in layout 2. */
    static final String BASE = "b";
    private static final int REGISTERS = 9;

    public Fence {
        fieldVersions = Collections.unmodifiableMap(new TreeMap<>(fieldVersions));
        memberVersions = Collections.unmodifiableMap(new TreeMap<>(memberVersions));
    }

    /** The fence in a hash as {@code HGETALL} returns it (empty for an entry without one). */
    public static Fence of(Map<String, String> hash) {
        Map<String, Long> fields = new TreeMap<>();
        Map<String, Long> members = new TreeMap<>();
        hash.forEach((name, value) -> {
            if (name.startsWith("f:")) {
                fields.put(name.substring(2), Long.parseLong(value));
            } else if (name.startsWith("m:")) {
                members.put(name.substring(2), Long.parseLong(value));
            }
        });
        String base = hash.get(BASE);
        if (base == null) {
            return new Fence(number(hash.get("v")), "1".equals(hash.get("d")), number(hash.get("x")),
                    number(hash.get("xv")), number(hash.get("t")), number(hash.get("tf")), fields, members);
        }
        String[] r = base.split(",", -1);
        if (r.length != REGISTERS) {
            throw new IllegalArgumentException("a fence field b of " + r.length + " registers, not " + REGISTERS
                    + ": '" + base + "'");
        }
        return new Fence(number(r[0]), "1".equals(r[1]), number(r[2]), number(r[3]), number(r[4]), number(r[5]),
                fields, members);
    }

    private static Long number(String text) {
        return text == null || text.isEmpty() ? null : Long.valueOf(text);
    }
}
