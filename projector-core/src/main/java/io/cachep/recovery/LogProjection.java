package io.cachep.recovery;

import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.StreamedProjection;
import io.cachep.text.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;

/**
 * Streams the log of the rules' topics through a {@link StreamedProjection}, once, with progress on stderr. Two threads
 * share the work, as two cores can: this one polls and decodes, a second projects and folds, handed batches through
 * a short queue (so memory stays bounded whichever is slower).
 */
public final class LogProjection {
    private static final int BATCH = 1_000;
    /** Records between two checkpoints of a kept state: a killed run reads at most this many again. */
    private static final long CHECKPOINT_EVERY = 1_000_000;
    private static final Batch END = new Batch(List.of(), Map.of());

    /** Decoded events, and the next offset per partition once they are folded in. */
    private record Batch(List<LoggedEvent> events, Map<TopicPartition, Long> reached) {}

    private LogProjection() {}

    /**
     * Folds every record from the state's positions (the start of the log, for a new state) up to {@code ends} into the
     * projection, checkpointing a kept state as it goes and at the end; returns the records read.
     */
    public static long read(LogReader reader, Map<TopicPartition, Long> ends, StreamedProjection projection,
                            ModelState state, PrintWriter err) {
        Map<TopicPartition, Long> starts = new HashMap<>(reader.beginningOffsets(ends.keySet()));
        state.positions().forEach((partition, at) -> starts.computeIfPresent(partition, (p, first) -> Math.max(first, at)));
        long total = ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - starts.get(e.getKey()))).sum();
        Progress progress = new Progress(err, "reading the log", total);
        BlockingQueue<Batch> handoff = new ArrayBlockingQueue<>(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread folder = new Thread(() -> {
            try {
                long sinceCheckpoint = 0;
                for (Batch batch = handoff.take(); batch != END; batch = handoff.take()) {
                    batch.events().forEach(logged -> projection.add(logged.topic(), logged.event()));
                    sinceCheckpoint += batch.events().size();
                    if (state.persistent() && sinceCheckpoint >= CHECKPOINT_EVERY) {
                        state.checkpoint(batch.reached());
                        sinceCheckpoint = 0;
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "cachep-model-fold");
        folder.setDaemon(true);
        folder.start();

        LoggedEvents events = new LoggedEvents();
        long[] read = {0};
        Map<TopicPartition, Long> reached = new HashMap<>(starts);
        List<List<LoggedEvent>> filling = new ArrayList<>(List.of(new ArrayList<>(BATCH)));
        reader.readRange(starts, ends, record -> {
            reached.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            events.of(record).ifPresent(filling.get(0)::add);
            if (filling.get(0).size() >= BATCH) {
                handOver(handoff, new Batch(filling.get(0), Map.copyOf(reached)), failure);
                filling.set(0, new ArrayList<>(BATCH));
            }
        }, n -> progress.update(read[0] = n));
        // Every record below each end has been handed over (compaction gaps and transaction markers included).
        handOver(handoff, new Batch(filling.get(0), Map.copyOf(ends)), failure);
        handOver(handoff, END, failure);
        try {
            folder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while modelling the log", e);
        }
        rethrow(failure);
        if (state.persistent()) {
            state.checkpoint(ends);
        }
        progress.finish(read[0]);
        return read[0];
    }

    private static void handOver(BlockingQueue<Batch> handoff, Batch batch, AtomicReference<Throwable> failure) {
        try {
            while (!handoff.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                rethrow(failure); // the folding thread died: it takes nothing more
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while modelling the log", e);
        }
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }
}
