package io.cachep.rules;

/**
 * Redis Cluster's slots as cachep's key layout needs them, without a Redis client (rules stay free of one): the
 * slot of a key (CRC16-CCITT of its hash tag, modulo 16,384, as the Redis Cluster specification defines it), and for
 * each of the 16,384 slots a short string that hashes to it, so cachep can name a key that lives on
 * a chosen slot: {@code …{<token>}…}. Found once by counting up in base 36 until every slot has one (about 170,000
 * strings, some tens of milliseconds), and the same on every run and machine, since the hash is fixed.
 */
public final class SlotTokens {
    /** The number of slots of a Redis Cluster. */
    public static final int SLOT_COUNT = 16_384;
    private static final int[] CRC16_TABLE = crc16Table();
    private static final String[] TOKENS = search();

    private SlotTokens() {}

    /** The token whose hash is {@code slot}. */
    public static String of(int slot) {
        if (slot < 0 || slot >= SLOT_COUNT) {
            throw new IllegalArgumentException("a slot is 0.." + (SLOT_COUNT - 1) + ", not " + slot);
        }
        return TOKENS[slot];
    }

    /** The slot of a key, as Redis Cluster computes it: of its hash tag (the text in its first non-empty {...}), if any. */
    public static int slotOf(String key) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                start = open + 1;
                end = close;
            }
        }
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ (bytes[i] & 0xff)) & 0xff]) & 0xffff;
        }
        return crc % SLOT_COUNT;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as in the Redis Cluster specification. */
    private static int[] crc16Table() {
        int[] table = new int[256];
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            table[b] = crc & 0xffff;
        }
        return table;
    }

    private static String[] search() {
        String[] tokens = new String[SLOT_COUNT];
        int found = 0;
        for (long n = 0; found < tokens.length; n++) {
            String candidate = Long.toString(n, 36);
            int slot = slotOf(candidate);
            if (tokens[slot] == null) {
                tokens[slot] = candidate;
                found++;
            }
        }
        return tokens;
    }
}
