package io.cachep.rules;

/**
 * One Redis entry a mutation writes, with the key of its fencing metadata.
 *
 * @param data    the key readers read, e.g. {@code demo:session:{s-17}}
 * @param fence   the hash holding its versions and tombstone, e.g. {@code demo:~fence:session:{s-17}}; same hash tag
 * @param hashTag the Redis Cluster hash tag both keys share (the key itself when it has none)
 */
public record EntryKey(String data, String fence, String hashTag) {}
