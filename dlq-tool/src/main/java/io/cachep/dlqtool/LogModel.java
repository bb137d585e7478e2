package io.cachep.dlqtool;

import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.EntrySnapshot;
import io.cachep.rules.reference.ReferenceProjection;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** The log of the rules' topics up to given ends, read into memory, and the reference projection of it. */
final class LogModel {
    /** @param expected the entries the log implies, by data key */
    record Projected(long records, List<LoggedEvent> log, Map<String, EntrySnapshot> expected) {}

    private LogModel() {}

    /** Reads every record below {@code ends} (a progress bar on {@code err}) and projects the events. */
    static Projected read(LogReader reader, Map<TopicPartition, Long> ends, RuleEngine engine, PrintWriter err) {
        List<LoggedEvent> log = new ArrayList<>();
        Progress progress = new Progress(err, "reading the log", reader.count(ends));
        LoggedEvents events = new LoggedEvents();
        long[] read = {0};
        reader.readUpTo(ends, record -> events.of(record).ifPresent(log::add), n -> {
            read[0] = n;
            progress.update(n);
        });
        progress.finish(read[0]);
        return new Projected(read[0], log, new ReferenceProjection(engine).project(log, Instant.now().toEpochMilli()));
    }
}
