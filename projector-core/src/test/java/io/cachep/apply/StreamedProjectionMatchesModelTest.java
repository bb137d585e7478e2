package io.cachep.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachep.envelope.EventEnvelope;
import io.cachep.modelstore.DiskEntryStore;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.EntryStore;
import io.cachep.rules.reference.FencedEntry;
import io.cachep.rules.reference.FencedEntryCodec;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.rulesfile.RulesFileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed projection (each write folded into its entry as it comes, in any order) ends equal to the reference
 * projection (each entry's writes sorted by version), on the same generated logs as {@link FencingMatchesModelIT}:
 * shuffled, duplicated and replayed. A failure prints the seed; {@code -Dcachep.model.seed=<seed>} reruns it.
 */
class StreamedProjectionMatchesModelTest {
    private static final int STREAMS = Integer.getInteger("cachep.model.streams", 3_000);

    @Test
    void shouldEndEqualToTheReferenceProjectionWhateverOrderTheLogDelivers() {
        check(EntryStore::inMemory);
    }

    /** Every entry encoded and decoded again between two writes, as a store on disk keeps it. */
    @Test
    void shouldEndEqualToTheReferenceProjectionWhenEntriesAreStoredAsBytesBetweenWrites() {
        check(EncodingStore::new);
    }

    /**
     * On disk with a heap budget of 2 KB, so entries are written back and read again all the time (fewer streams: each
     * opens a RocksDB).
     */
    @Test
    void shouldEndEqualToTheReferenceProjectionWhenEntriesLiveOnDiskBehindATinyHeapBudget(@TempDir Path directory) {
        check(() -> DiskEntryStore.temporary(directory, 2_048), STREAMS / 10);
    }

    static void check(Supplier<EntryStore> stores) {
        check(stores, STREAMS);
    }

    static void check(Supplier<EntryStore> stores, int count) {
        Long only = Long.getLong("cachep.model.seed");
        long base = new Random().nextLong();
        int streams = only != null ? 1 : count;
        RuleEngine engine = new RuleEngine(RulesFileLoader.parse("model-rules.yaml",
                FencingMatchesModelIT.RULES.replace("${namespace}", "m")));
        long events = 0;
        for (int i = 0; i < streams; i++) {
            long seed = only != null ? only : base + i;
            long now = Instant.now().toEpochMilli();
            EventStreams generator = new EventStreams(new Random(seed), now);
            List<EventEnvelope> delivered = generator.deliver(generator.log());
            List<LoggedEvent> logged = new ArrayList<>();
            delivered.forEach(e -> logged.add(new LoggedEvent("events", e)));
            Map<String, EntrySnapshot> expected = new ReferenceProjection(engine).project(logged, now);

            Map<String, EntrySnapshot> streamed = new TreeMap<>();
            Map<String, EntrySnapshot> swept = new TreeMap<>();
            java.util.Set<String> written = new java.util.HashSet<>();
            try (EntryStore store = stores.get()) {
                StreamedProjection projection = new StreamedProjection(engine, store);
                delivered.forEach(e -> projection.add("events", e, written::add));
                projection.forEachExpected(now, streamed::put);
                // A follower's sweep: slices of 7, each continuing after the last key of the one before.
                String after = null;
                do {
                    after = projection.forEachWrittenAfter(after, 7, now, (key, snapshot) -> {
                        if (snapshot != null) {
                            swept.put(key, snapshot);
                        }
                    });
                } while (after != null);
            }
            String replay = String.format("seed %d (rerun with -Dcachep.model.seed=%d); delivered:%n%s", seed, seed,
                    EventStreams.describe(delivered));
            assertThat(streamed).as(replay).isEqualTo(expected);
            assertThat(swept).as("swept in slices: " + replay).isEqualTo(expected);
            assertThat(written).as("entries named as written: " + replay).containsAll(expected.keySet());
            events += delivered.size();
        }
        assertThat(events).as("events over %d streams", streams).isGreaterThan(streams * 10L);
    }

    /** A store that keeps bytes only, so every entry goes through the codec between two writes. */
    private static final class EncodingStore implements EntryStore {
        private final EntryStore bytes = EntryStore.inMemory();
        private final Map<String, byte[]> encoded = new TreeMap<>();

        @Override
        public FencedEntry get(String key) {
            byte[] found = encoded.get(key);
            return found == null ? null : FencedEntryCodec.decode(found);
        }

        @Override
        public void put(String key, FencedEntry entry) {
            encoded.put(key, FencedEntryCodec.encode(entry));
        }

        @Override
        public Long invalidatedAt(String tag) {
            return bytes.invalidatedAt(tag);
        }

        @Override
        public void invalidate(String tag, long atMillis) {
            bytes.invalidate(tag, atMillis);
        }

        @Override
        public void forEach(BiConsumer<String, FencedEntry> action) {
            encoded.forEach((key, value) -> action.accept(key, FencedEntryCodec.decode(value)));
        }

        @Override
        public String forEachAfter(String after, int limit, BiConsumer<String, FencedEntry> action) {
            EntryStore decoded = EntryStore.inMemory(); // every entry decoded, sliced as the heap store slices
            forEach(decoded::put);
            return decoded.forEachAfter(after, limit, action);
        }

        @Override
        public void close() {}
    }
}
