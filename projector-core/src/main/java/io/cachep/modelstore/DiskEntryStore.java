package io.cachep.modelstore;

import io.cachep.rules.reference.EntryStore;
import io.cachep.rules.reference.FencedEntry;
import io.cachep.rules.reference.FencedEntryCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * An {@link EntryStore} on local disk (RocksDB, which Kafka Streams brings), so the state of a log of any length fits a
 * small heap: the entries written most recently stay on the heap up to a budget in bytes, changed in place, and the
 * least recently used are written back when the budget is passed. A log's writes to one entry come close together
 * (a session's events within minutes), so most writes find their entry on the heap.
 *
 * <p>The write-ahead log is off: a temporary store is rebuilt from the log anyway, and a persistent one is
 * consistent as of its last {@link #checkpoint}, from which the log is folded in again.
 */
public final class DiskEntryStore implements EntryStore {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte ENTRY = 'e';
    private static final byte TAG = 't';
    private static final byte FLAG = 'f';
    private static final byte META = 'm';
    private static final int WRITE_BATCH = 2_000;

    private final Path directory;
    private final boolean temporary;
    private final long heapBudgetBytes;
    private final Options options;
    private final LRUCache blockCache;
    private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
    private final RocksDB db;
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private WriteBatch pending = new WriteBatch();
    /** Entries written back into {@link #pending} and not committed yet: a read must find them. */
    private final Map<String, byte[]> staged = new java.util.HashMap<>();
    private long cachedBytes;

    private static final class Cached {
        final FencedEntry entry;
        int weight;
        boolean dirty;

        Cached(FencedEntry entry, int weight, boolean dirty) {
            this.entry = entry;
            this.weight = weight;
            this.dirty = dirty;
        }
    }

    private DiskEntryStore(Path directory, boolean temporary, long heapBudgetBytes) {
        this.directory = directory;
        this.temporary = temporary;
        this.heapBudgetBytes = heapBudgetBytes;
        this.blockCache = new LRUCache(32L << 20);
        this.options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(16L << 20)
                .setMaxWriteBufferNumber(3)
                .setMaxBackgroundJobs(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache)
                        .setFilterPolicy(new BloomFilter(10)));
        try {
            Files.createDirectories(directory);
            this.db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException | IOException e) {
            options.close();
            blockCache.close();
            throw new IllegalStateException("cannot open the entry store in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A store in a new temporary directory under {@code parent}, removed on {@link #close}. */
    public static DiskEntryStore temporary(Path parent, long heapBudgetBytes) {
        try {
            Files.createDirectories(parent);
            return new DiskEntryStore(Files.createTempDirectory(parent, "cachep-model-"), true, heapBudgetBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the entry store under " + parent, e);
        }
    }

    /**
     * A store in {@code directory}, kept on {@link #close}: opened again, it holds at least what the last
     * {@link #checkpoint} saved.
     */
    public static DiskEntryStore persistent(Path directory, long heapBudgetBytes) {
        return new DiskEntryStore(directory, false, heapBudgetBytes);
    }

    @Override
    public FencedEntry get(String key) {
        Cached cached = cache.get(key);
        if (cached != null) {
            return cached.entry;
        }
        byte[] stored = staged.get(key);
        if (stored == null) {
            stored = read(entryKey(key));
        }
        if (stored == null) {
            return null;
        }
        FencedEntry entry = FencedEntryCodec.decode(stored);
        remember(key, new Cached(entry, FencedEntryCodec.weigh(entry), false));
        return entry;
    }

    @Override
    public void put(String key, FencedEntry entry) {
        Cached cached = cache.get(key);
        if (cached != null && cached.entry == entry) {
            int weight = FencedEntryCodec.weigh(entry);
            cachedBytes += weight - cached.weight;
            cached.weight = weight;
            cached.dirty = true;
            evictOverBudget();
            return;
        }
        remember(key, new Cached(entry, FencedEntryCodec.weigh(entry), true));
    }

    @Override
    public Long invalidatedAt(String tag) {
        byte[] stored = read(tagKey(tag));
        return stored == null ? null : ByteBuffer.wrap(stored).getLong();
    }

    @Override
    public void invalidate(String tag, long atMillis) {
        Long known = invalidatedAt(tag);
        if (known == null || known < atMillis) {
            try {
                db.put(writeOptions, tagKey(tag), ByteBuffer.allocate(Long.BYTES).putLong(atMillis).array());
            } catch (RocksDBException e) {
                throw failure("write", e);
            }
        }
    }

    @Override
    public void forEach(BiConsumer<String, FencedEntry> action) {
        writeBack();
        forEachWithPrefix(ENTRY, (key, value) -> action.accept(key, FencedEntryCodec.decode(value)));
    }

    @Override
    public String forEachAfter(String after, int limit, BiConsumer<String, FencedEntry> action) {
        writeBack();
        byte[] from = after == null ? new byte[] {ENTRY} : entryKey(after);
        String last = null;
        int visited = 0;
        try (ReadOptions reading = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(reading)) {
            for (it.seek(from); it.isValid() && it.key()[0] == ENTRY; it.next()) {
                String key = new String(it.key(), 1, it.key().length - 1, StandardCharsets.UTF_8);
                if (key.equals(after)) {
                    continue;
                }
                if (visited++ == limit) {
                    return last;
                }
                action.accept(key, FencedEntryCodec.decode(it.value()));
                last = key;
            }
        }
        return null;
    }

    private void forEachWithPrefix(byte prefix, BiConsumer<String, byte[]> action) {
        try (ReadOptions reading = new ReadOptions().setFillCache(false);
             RocksIterator it = db.newIterator(reading)) {
            for (it.seek(new byte[] {prefix}); it.isValid() && it.key()[0] == prefix; it.next()) {
                byte[] key = it.key();
                action.accept(new String(key, 1, key.length - 1, StandardCharsets.UTF_8), it.value());
            }
        }
    }

    /** Sets a key aside for a later pass over the log (verify flags the divergent entries it will repair). */
    public void flag(String key) {
        try {
            db.put(writeOptions, prefixed(FLAG, key), new byte[0]);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
    }

    /** Forgets every flag (a kept state's flags are of its last run). */
    public void clearFlags() {
        try {
            db.deleteRange(writeOptions, new byte[] {FLAG}, new byte[] {FLAG + 1});
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
    }

    public boolean isFlagged(String key) {
        return read(prefixed(FLAG, key)) != null;
    }

    /** Every flagged key, in the order of its UTF-8 bytes. */
    public void forEachFlagged(java.util.function.Consumer<String> action) {
        forEachWithPrefix(FLAG, (key, value) -> action.accept(key));
    }

    /** A value {@link #checkpoint} saved under the name, or null. */
    public byte[] meta(String name) {
        return read(prefixed(META, name));
    }

    /**
     * Writes every change on the heap to disk with {@code meta} (what the state is as of: the log positions folded in),
     * and flushes, so the store, reopened after a crash, holds at least this. Writes after it may be there too: the
     * fold is idempotent, so folding their events again changes nothing.
     */
    public void checkpoint(Map<String, byte[]> meta) {
        writeBack();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (Map.Entry<String, byte[]> value : meta.entrySet()) {
                db.put(writeOptions, prefixed(META, value.getKey()), value.getValue());
            }
            db.flush(flush);
        } catch (RocksDBException e) {
            throw failure("checkpoint", e);
        }
    }

    /** Bytes of entry state on the heap now (an estimate). */
    public long heapBytes() {
        return cachedBytes;
    }

    @Override
    public void close() {
        try {
            if (!temporary) {
                writeBack();
            }
        } finally {
            pending.close();
            db.close();
            writeOptions.close();
            options.close();
            blockCache.close();
            if (temporary) {
                deleteDirectory();
            }
        }
    }

    private void remember(String key, Cached cached) {
        Cached before = cache.put(key, cached);
        cachedBytes += cached.weight - (before == null ? 0 : before.weight);
        evictOverBudget();
    }

    private void evictOverBudget() {
        Iterator<Map.Entry<String, Cached>> eldest = cache.entrySet().iterator();
        while (cachedBytes > heapBudgetBytes && eldest.hasNext()) {
            Map.Entry<String, Cached> next = eldest.next();
            Cached cached = next.getValue();
            if (cached.dirty) {
                stage(next.getKey(), cached.entry);
            }
            cachedBytes -= cached.weight;
            eldest.remove();
        }
    }

    private void writeBack() {
        cache.forEach((key, cached) -> {
            if (cached.dirty) {
                stage(key, cached.entry);
                cached.dirty = false;
            }
        });
        commitPending();
    }

    private void stage(String key, FencedEntry entry) {
        byte[] encoded = FencedEntryCodec.encode(entry);
        staged.put(key, encoded);
        try {
            pending.put(entryKey(key), encoded);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
        if (pending.count() >= WRITE_BATCH) {
            commitPending();
        }
    }

    private void commitPending() {
        if (pending.count() == 0) {
            return;
        }
        try {
            db.write(writeOptions, pending);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
        pending.close();
        pending = new WriteBatch();
        staged.clear();
    }

    private byte[] read(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    private static byte[] entryKey(String key) {
        return prefixed(ENTRY, key);
    }

    private static byte[] tagKey(String tag) {
        return prefixed(TAG, tag);
    }

    private static byte[] prefixed(byte prefix, String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[utf8.length + 1];
        key[0] = prefix;
        System.arraycopy(utf8, 0, key, 1, utf8.length);
        return key;
    }

    private IllegalStateException failure(String what, RocksDBException e) {
        return new IllegalStateException("the entry store in " + directory + " failed to " + what + ": " + e.getMessage()
                + " (is the disk full?)", e);
    }

    private void deleteDirectory() {
        try {
            delete(directory);
        } catch (UncheckedIOException e) {
            // A temporary directory left behind is only disk space; say nothing louder than the JVM would.
        }
    }

    /** Removes a store's directory with everything in it (the store closed). */
    public static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the entry store in " + directory, e);
        }
    }
}
