package io.cachep.rules.reference;

import java.util.function.BiConsumer;

/**
 * Where a {@link StreamedProjection} keeps its per-entry state while the log streams through: on the heap for a test
 * or a small log ({@link #inMemory()}), on local disk for a large one ({@code io.cachep.modelstore.DiskEntryStore}).
 * Entries are taken, changed in place and put back; an entry not put back keeps its earlier state.
 */
public interface EntryStore extends AutoCloseable {
    /** The entry's state, or null when no write reached it yet. */
    FencedEntry get(String key);

    /** Keeps the entry's (changed) state. */
    void put(String key, FencedEntry entry);

    /** When the tag was last invalidated (event time), or null. */
    Long invalidatedAt(String tag);

    /** Records an invalidation of the tag; an earlier one than recorded changes nothing. */
    void invalidate(String tag, long atMillis);

    /** Every entry, in the order of its key's UTF-8 bytes. */
    void forEach(BiConsumer<String, FencedEntry> action);

    /**
     * At most {@code limit} entries whose key comes after {@code after} (null: from the first), in {@link #forEach}'s
     * order: a sweep that visits the store a slice at a time while it keeps changing.
     *
     * @return the last key visited, or null when the slice reached the last entry
     */
    String forEachAfter(String after, int limit, BiConsumer<String, FencedEntry> action);

    @Override
    void close();

    static EntryStore inMemory() {
        return new InMemoryEntryStore();
    }
}
