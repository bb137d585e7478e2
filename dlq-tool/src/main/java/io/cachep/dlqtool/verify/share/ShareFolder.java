package io.cachep.dlqtool.verify.share;

import io.cachep.apply.RedisTarget;
import io.cachep.dlqtool.verify.DivergenceTally;
import io.cachep.dlqtool.verify.EntryComparison;
import io.cachep.errors.PoisonEventException;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.rules.reference.StreamedProjection;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One share of the run: folds the events of its entries, and every tag invalidation, into its stores through
 * {@link StreamedProjection} (the same fold as the single-process verify), notes each source partition's end marker,
 * and once it holds one from every partition with records in the run's range, compares its entries with Redis and
 * leaves its result there. The marks are kept in a logged store, so a share that moves to another process resumes
 * where it was, and a share already compared is not compared again.
 */
final class ShareFolder implements Processor<String, byte[], Void, Void> {
    static final int SHOWN = 20;
    private static final String END_MARK = "end:";
    private static final String DONE_MARK = "done";
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);

    private final RuleEngine engine;
    private final RunDescriptor run;
    private final Set<String> sources;
    private final RedisTarget redis;
    private final RunRecords records;
    private final ShareStats stats;
    private final PrintWriter err;
    private final LoggedEvents events = new LoggedEvents();
    private KeyValueStore<String, Long> marks;
    private StreamedProjection projection;
    private int share;

    ShareFolder(RuleEngine engine, RunDescriptor run, RedisTarget redis, RunRecords records, ShareStats stats,
                PrintWriter err) {
        this.engine = engine;
        this.run = run;
        this.sources = run.partitionsWithData();
        this.redis = redis;
        this.records = records;
        this.stats = stats;
        this.err = err;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        share = context.taskId().partition();
        KeyValueStore<String, byte[]> entries = context.getStateStore(ShareTopology.ENTRIES);
        KeyValueStore<String, Long> tags = context.getStateStore(ShareTopology.TAGS);
        marks = context.getStateStore(ShareTopology.MARKS);
        projection = new StreamedProjection(engine, new StreamsEntryStore(entries, tags));
        context.schedule(CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> compareWhenComplete());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        ShareMessage message = ShareMessage.decode(record.value());
        if (message.kind() == ShareMessage.Kind.END) {
            marks.put(END_MARK + message.source(), 1L);
            return;
        }
        Optional<LoggedEvent> logged = events.of(message.topic(), message.key(), message.value(), message.headers(),
                message.timestamp());
        if (logged.isEmpty()) {
            return; // the splitter sends only events it could read; the same release reads them the same
        }
        List<Mutation> mutations;
        try {
            mutations = engine.project(message.topic(), logged.get().event());
        } catch (PoisonEventException e) {
            return;
        }
        long version = logged.get().event().entityVersion();
        long time = logged.get().event().time().toEpochMilli();
        for (Mutation mutation : mutations) {
            boolean mine = message.kind() == ShareMessage.Kind.ENTRY
                    ? mutation instanceof Mutation.EntryMutation write && write.key().data().equals(record.key())
                    : mutation instanceof Mutation.InvalidateTag;
            if (mine) {
                projection.fold(mutation, version, time);
            }
        }
        stats.folded();
    }

    /**
     * Runs on the stream thread, which it holds for the comparison (the run's consumers allow for that in
     * {@code max.poll.interval.ms}); by then every share of this process has nothing left to do but the same.
     */
    private void compareWhenComplete() {
        if (marks.get(DONE_MARK) != null) {
            return;
        }
        for (String source : sources) {
            if (marks.get(END_MARK + source) == null) {
                return;
            }
        }
        int shares = run.shares();
        DivergenceTally tally = new DivergenceTally(SHOWN);
        EntryComparison comparison = new EntryComparison(redis, engine.layout(), projection, err,
                key -> SharePartitioner.shareOf(key, shares) == share);
        long entries = comparison.compare(Instant.now().toEpochMilli(), tally);
        records.putResult(new ShareResult(share, entries, tally.byKind(), tally.sample(), stats.process()));
        marks.put(DONE_MARK, 1L);
        stats.compared(share);
    }
}
