package io.cachep.apply;

import java.util.List;

/**
 * Told when the applier sends a batch of events' writes to Redis: the entries' Redis keys and the
 * {@link System#nanoTime()} of sending. For measuring what follows a write (the demo's write-to-invalidation time
 * through cachep-client); called on the sending thread before the call leaves, so keep it short.
 */
@FunctionalInterface
public interface WriteObserver {
    void sending(List<String> entryKeys, long sentAtNanos);
}
