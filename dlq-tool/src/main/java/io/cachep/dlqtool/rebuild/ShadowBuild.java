package io.cachep.dlqtool.rebuild;

import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.WindowedApply;
import io.cachep.dlqtool.rebuild.RebuildCounts.Count;
import io.cachep.errors.PoisonEventException;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds the shadow namespace from the log: every record from the positions reached so far up to an end, projected
 * with the current rules into the shadow (a {@link RuleEngine} over {@code KeyLayout.shadow()}) and written through the
 * projector's own fenced apply, so the shadow holds exactly what a projector would from that log, fences included.
 * Writes are pipelined in a bounded window; positions advance only once the writes before them are acknowledged.
 */
public final class ShadowBuild {
    private final LogReader reader;
    private final RuleEngine engine;
    private final RedisApplier applier;
    private final Set<String> topics;
    private final Map<TopicPartition, Long> positions;
    private final RebuildCounts counts;
    private final LoggedEvents events = new LoggedEvents();
    private final PrintWriter err;
    private boolean startsChecked;

    /** @param positions the next offset to apply per partition; updated as the build goes (the checkpoint's map) */
    public ShadowBuild(LogReader reader, RuleEngine shadowEngine, RedisApplier shadowApplier, Set<String> topics,
                       Map<TopicPartition, Long> positions, RebuildCounts counts, PrintWriter err) {
        this.err = err;
        this.reader = reader;
        this.engine = shadowEngine;
        this.applier = shadowApplier;
        this.topics = topics;
        this.positions = positions;
        this.counts = counts;
    }

    /** The log's end offsets as of now. */
    public Map<TopicPartition, Long> ends() {
        return reader.endOffsets(topics);
    }

    /** Records between the positions and {@code ends}: the work {@link #upTo} has left. */
    public long remaining(Map<TopicPartition, Long> ends) {
        startUnseenPartitions(ends);
        return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - positions.get(e.getKey()))).sum();
    }

    /** Applies the log up to now: {@link #upTo} the current end offsets. */
    public void catchUp() {
        upTo(ends(), n -> {}, () -> {});
    }

    /**
     * Applies every record from the positions up to {@code ends}. {@code safePoint} runs whenever every write so far is
     * acknowledged and the positions say so (the moment to save a checkpoint); {@code progress} gets the records read.
     */
    public void upTo(Map<TopicPartition, Long> ends, LongConsumer progress, Runnable safePoint) {
        startUnseenPartitions(ends);
        Map<TopicPartition, Long> reached = new HashMap<>(positions);
        WindowedApply writes = new WindowedApply(applier, WindowedApply.RETRY_FOR, err, outcome -> {});
        reader.readRange(new HashMap<>(positions), ends, record -> {
            reached.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            counts.add(Count.RECORDS, 1);
            LoggedEvent logged = events.of(record).orElse(null);
            if (logged == null) {
                counts.add(Count.POISON, 1);
                return;
            }
            boolean drained;
            try {
                drained = writes.apply(EventStamp.of(logged.event()), engine.project(logged.topic(), logged.event()));
            } catch (PoisonEventException poison) {
                counts.add(Count.POISON, 1);
                return;
            }
            if (drained) {
                positions.putAll(reached);
                safePoint.run();
            }
        }, progress);
        writes.drain();
        // Every record below each end has been handed over (compaction gaps and transaction markers included).
        ends.forEach((partition, end) -> positions.merge(partition, end, Math::max));
        safePoint.run();
    }

    /**
     * Partitions not read yet start at the earliest offset still in the log; a position retention has passed since the
     * checkpoint is moved up to it (a consumer seeking below the start would jump to the end and skip everything).
     */
    private void startUnseenPartitions(Map<TopicPartition, Long> ends) {
        if (startsChecked && positions.keySet().containsAll(ends.keySet())) {
            return;
        }
        reader.beginningOffsets(ends.keySet()).forEach((partition, first) -> positions.merge(partition, first, Math::max));
        startsChecked = true;
    }
}
