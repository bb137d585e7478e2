package io.cachep.dlqtool.verify;

import io.cachep.dlqtool.Progress;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.reference.StreamedProjection;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Streams the log of the rules' topics through a {@link StreamedProjection}, once, with progress on stderr. */
public final class LogProjection {
    private LogProjection() {}

    /** Reads every record below {@code ends} into the projection; returns the records read. */
    public static long read(LogReader reader, Map<TopicPartition, Long> ends, StreamedProjection projection,
                            PrintWriter err) {
        Progress progress = new Progress(err, "reading the log", reader.count(ends));
        LoggedEvents events = new LoggedEvents();
        long[] read = {0};
        reader.readUpTo(ends, record -> events.of(record).ifPresent(logged -> projection.add(logged.topic(), logged.event())),
                n -> progress.update(read[0] = n));
        progress.finish(read[0]);
        return read[0];
    }
}
