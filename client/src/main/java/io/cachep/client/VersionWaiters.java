package io.cachep.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Wakes {@code awaitVersion} callers when their entry changes, so they re-read at once instead of polling blindly. */
final class VersionWaiters {
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** A future completed at the next change of {@code entryKey}; take it before reading, so no change is missed. */
    CompletableFuture<Void> nextChange(String entryKey) {
        return waiting.computeIfAbsent(entryKey, key -> new CompletableFuture<>());
    }

    /** A caller stopped waiting; another caller of the same entry keeps its own reference and polls anyway. */
    void forget(String entryKey, CompletableFuture<Void> change) {
        waiting.remove(entryKey, change);
    }

    void changed(String entryKey) {
        CompletableFuture<Void> change = waiting.remove(entryKey);
        if (change != null) {
            change.complete(null);
        }
    }

    void changedAll() {
        waiting.keySet().forEach(this::changed);
    }
}
