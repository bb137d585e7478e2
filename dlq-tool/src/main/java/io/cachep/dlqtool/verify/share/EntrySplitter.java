package io.cachep.dlqtool.verify.share;

import io.cachep.errors.PoisonEventException;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The run's first step, on the source partitions: each record in the run's range is decoded and projected, and sent
 * once to the share of every entry it writes, and once to every share when it invalidates tags. A poison record is
 * counted and left out, as the projector dead-letters it. After a partition's last record in range, an end marker
 * goes to every share; records past it are not part of the run.
 */
final class EntrySplitter implements Processor<byte[], byte[], String, byte[]> {
    static final String TAGS_KEY = "~tags";
    static final String END_KEY = "~end:";

    private final RuleEngine engine;
    private final Map<String, Long> lastOffsets;
    private final ShareStats stats;
    private final LoggedEvents events = new LoggedEvents();
    private ProcessorContext<String, byte[]> context;

    EntrySplitter(RuleEngine engine, Map<String, Long> lastOffsets, ShareStats stats) {
        this.engine = engine;
        this.lastOffsets = lastOffsets;
        this.stats = stats;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata at = context.recordMetadata().orElseThrow();
        String source = at.topic() + "-" + at.partition();
        Long last = lastOffsets.get(source);
        if (last == null || at.offset() > last) {
            return;
        }
        stats.read();
        split(at.topic(), record);
        if (at.offset() == last) {
            context.forward(new Record<>(END_KEY + source, ShareMessage.end(source).encode(), record.timestamp()));
        }
    }

    private void split(String topic, Record<byte[], byte[]> record) {
        Optional<LoggedEvent> logged = events.of(topic, record.key(), record.value(), record.headers(), record.timestamp());
        if (logged.isEmpty()) {
            stats.poison();
            return;
        }
        List<Mutation> mutations;
        try {
            mutations = engine.project(topic, logged.get().event());
        } catch (PoisonEventException e) {
            stats.poison();
            return;
        }
        Set<String> entries = new LinkedHashSet<>();
        boolean invalidates = false;
        for (Mutation mutation : mutations) {
            if (mutation instanceof Mutation.EntryMutation write) {
                entries.add(write.key().data());
            } else {
                invalidates = true;
            }
        }
        if (entries.isEmpty() && !invalidates) {
            return;
        }
        byte[] forEntry = ShareMessage.event(ShareMessage.Kind.ENTRY, topic, record.key(), record.value(),
                record.headers(), record.timestamp()).encode();
        for (String entry : entries) {
            context.forward(new Record<>(entry, forEntry, record.timestamp()));
        }
        if (invalidates) {
            context.forward(new Record<>(TAGS_KEY, ShareMessage.event(ShareMessage.Kind.TAGS, topic, record.key(),
                    record.value(), record.headers(), record.timestamp()).encode(), record.timestamp()));
        }
    }
}
