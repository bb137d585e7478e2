package io.cachep.dlqtool.verify.share;

import io.cachep.rules.reference.EntryStore;
import io.cachep.rules.reference.FencedEntry;
import io.cachep.rules.reference.FencedEntryCodec;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A share's model state in its Kafka Streams stores, so that {@code StreamedProjection} folds it exactly as the
 * single-process verify does: entries as {@link FencedEntryCodec} bytes, tags as their latest invalidation time.
 * Both stores are logged, so a share that moves to another process takes its state along.
 */
final class StreamsEntryStore implements EntryStore {
    private final KeyValueStore<String, byte[]> entries;
    private final KeyValueStore<String, Long> tags;

    StreamsEntryStore(KeyValueStore<String, byte[]> entries, KeyValueStore<String, Long> tags) {
        this.entries = entries;
        this.tags = tags;
    }

    @Override
    public FencedEntry get(String key) {
        byte[] bytes = entries.get(key);
        return bytes == null ? null : FencedEntryCodec.decode(bytes);
    }

    @Override
    public void put(String key, FencedEntry entry) {
        entries.put(key, FencedEntryCodec.encode(entry));
    }

    @Override
    public Long invalidatedAt(String tag) {
        return tags.get(tag);
    }

    @Override
    public void invalidate(String tag, long atMillis) {
        Long known = tags.get(tag);
        if (known == null || known < atMillis) {
            tags.put(tag, atMillis);
        }
    }

    @Override
    public void forEach(BiConsumer<String, FencedEntry> action) {
        try (KeyValueIterator<String, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> next = all.next();
                action.accept(next.key, FencedEntryCodec.decode(next.value));
            }
        }
    }

    @Override
    public String forEachAfter(String after, int limit, BiConsumer<String, FencedEntry> action) {
        String last = null;
        int visited = 0;
        // A null bound is open: from the first key (String keys are ordered by their UTF-8 bytes, as the interface asks).
        try (KeyValueIterator<String, byte[]> from = entries.range(after, null)) {
            while (from.hasNext()) {
                KeyValue<String, byte[]> next = from.next();
                if (next.key.equals(after)) {
                    continue;
                }
                if (visited++ == limit) {
                    return last;
                }
                action.accept(next.key, FencedEntryCodec.decode(next.value));
                last = next.key;
            }
        }
        return null;
    }

    @Override
    public void close() {
        // the stores belong to Kafka Streams
    }
}
