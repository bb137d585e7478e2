package io.cachep.dlqtool.verify;

import io.cachep.dlqtool.Progress;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.StreamedProjection;
import java.io.PrintWriter;
import java.util.ArrayList;
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
    private static final List<LoggedEvent> END = List.of();

    private LogProjection() {}

    /** Reads every record below {@code ends} into the projection; returns the records read. */
    public static long read(LogReader reader, Map<TopicPartition, Long> ends, StreamedProjection projection,
                            PrintWriter err) {
        Progress progress = new Progress(err, "reading the log", reader.count(ends));
        BlockingQueue<List<LoggedEvent>> handoff = new ArrayBlockingQueue<>(8);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread folder = new Thread(() -> {
            try {
                for (List<LoggedEvent> batch = handoff.take(); batch != END; batch = handoff.take()) {
                    batch.forEach(logged -> projection.add(logged.topic(), logged.event()));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "cachep-model-fold");
        folder.setDaemon(true);
        folder.start();

        LoggedEvents events = new LoggedEvents();
        long[] read = {0};
        List<List<LoggedEvent>> batch = new ArrayList<>(List.of(new ArrayList<>(BATCH)));
        reader.readUpTo(ends, record -> events.of(record).ifPresent(logged -> {
            batch.get(0).add(logged);
            if (batch.get(0).size() >= BATCH) {
                handOver(handoff, batch.get(0), failure);
                batch.set(0, new ArrayList<>(BATCH));
            }
        }), n -> progress.update(read[0] = n));
        handOver(handoff, batch.get(0), failure);
        handOver(handoff, END, failure);
        try {
            folder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while modelling the log", e);
        }
        rethrow(failure);
        progress.finish(read[0]);
        return read[0];
    }

    private static void handOver(BlockingQueue<List<LoggedEvent>> handoff, List<LoggedEvent> batch,
                                 AtomicReference<Throwable> failure) {
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
