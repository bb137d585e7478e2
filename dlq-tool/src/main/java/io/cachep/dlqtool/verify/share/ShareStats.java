package io.cachep.dlqtool.verify.share;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/** What this process did for its run, counted by the stream threads and read by the waiting one. */
final class ShareStats {
    private final String process;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong poison = new AtomicLong();
    private final AtomicLong folded = new AtomicLong();
    private final Set<Integer> compared = new ConcurrentSkipListSet<>();

    ShareStats(String process) {
        this.process = process;
    }

    /** Names this process in the shares' results: host, pid and a per-run suffix (two in one JVM differ). */
    String process() {
        return process;
    }

    void read() {
        read.incrementAndGet();
    }

    void poison() {
        poison.incrementAndGet();
    }

    void folded() {
        folded.incrementAndGet();
    }

    void compared(int share) {
        compared.add(share);
    }

    /** Log records in the run's range this process split among the shares. */
    long readCount() {
        return read.get();
    }

    long poisonCount() {
        return poison.get();
    }

    /** Messages (an event for one entry, an event's tag invalidations) this process folded into its shares. */
    long foldedCount() {
        return folded.get();
    }

    /** The shares this process compared with Redis, in order. */
    List<Integer> comparedShares() {
        return List.copyOf(compared);
    }
}
