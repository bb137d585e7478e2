package io.cachep.rules.reference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** An {@link EntryStore} on the heap: for tests and logs small enough to hold. */
final class InMemoryEntryStore implements EntryStore {
    private final TreeMap<String, FencedEntry> entries = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    private final Map<String, Long> invalidations = new HashMap<>();

    @Override
    public FencedEntry get(String key) {
        return entries.get(key);
    }

    @Override
    public void put(String key, FencedEntry entry) {
        entries.put(key, entry);
    }

    @Override
    public Long invalidatedAt(String tag) {
        return invalidations.get(tag);
    }

    @Override
    public void invalidate(String tag, long atMillis) {
        invalidations.merge(tag, atMillis, Math::max);
    }

    @Override
    public void forEach(BiConsumer<String, FencedEntry> action) {
        entries.forEach(action);
    }

    @Override
    public String forEachAfter(String after, int limit, BiConsumer<String, FencedEntry> action) {
        Map<String, FencedEntry> slice = after == null ? entries : entries.tailMap(after, false);
        String last = null;
        int visited = 0;
        for (Map.Entry<String, FencedEntry> entry : slice.entrySet()) {
            if (visited++ == limit) {
                return last;
            }
            action.accept(entry.getKey(), entry.getValue());
            last = entry.getKey();
        }
        return null;
    }

    @Override
    public void close() {}
}
