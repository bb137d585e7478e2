package io.cachep.rules;

import io.lettuce.core.cluster.SlotHash;

/**
 * For each of Redis Cluster's 16,384 slots, a short string that hashes to it, so cachep can name a key that lives on
 * a chosen slot: {@code …{<token>}…}. Found once by counting up in base 36 until every slot has one (about 170,000
 * strings, some tens of milliseconds), and the same on every run and machine, since the hash is fixed.
 */
public final class SlotTokens {
    private static final String[] TOKENS = search();

    private SlotTokens() {}

    /** The token whose hash is {@code slot}. */
    public static String of(int slot) {
        if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
            throw new IllegalArgumentException("a slot is 0.." + (SlotHash.SLOT_COUNT - 1) + ", not " + slot);
        }
        return TOKENS[slot];
    }

    /** The slot of a key, as Redis Cluster computes it (its hash tag's, when it has one). */
    public static int slotOf(String key) {
        return SlotHash.getSlot(key);
    }

    private static String[] search() {
        String[] tokens = new String[SlotHash.SLOT_COUNT];
        int found = 0;
        for (long n = 0; found < tokens.length; n++) {
            String candidate = Long.toString(n, 36);
            int slot = SlotHash.getSlot(candidate);
            if (tokens[slot] == null) {
                tokens[slot] = candidate;
                found++;
            }
        }
        return tokens;
    }
}
