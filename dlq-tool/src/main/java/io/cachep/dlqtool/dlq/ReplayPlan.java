package io.cachep.dlqtool.dlq;

import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What a DLQ replay does with each record it looks at: re-publish it to its original topic, skip it (replayed too
 * often already, or no original topic known), or leave it (not selected by the filter).
 */
public final class ReplayPlan {
    public enum Decision { REPLAY, SKIP_TOO_MANY_REPLAYS, SKIP_NO_SOURCE, NOT_SELECTED }

    private final DeadLetterFilter filter;
    private final int maxReplays;

    public ReplayPlan(DeadLetterFilter filter, int maxReplays) {
        this.filter = filter;
        this.maxReplays = maxReplays;
    }

    public Decision decide(DeadLetter letter) {
        if (!filter.matches(letter)) {
            return Decision.NOT_SELECTED;
        }
        if (letter.replayCount() >= maxReplays) {
            return Decision.SKIP_TOO_MANY_REPLAYS;
        }
        return letter.sourceTopic().isPresent() ? Decision.REPLAY : Decision.SKIP_NO_SOURCE;
    }

    /**
     * The record to send: the original key, value, timestamp and headers, without the cause headers (the projector
     * adds fresh ones if it fails again), with the replay count raised by one.
     */
    public static ProducerRecord<byte[], byte[]> replayOf(DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!isCauseHeader(header.key())) {
                headers.add(header);
            }
        }
        headers.add(DeadLetterHeaders.REPLAY_COUNT,
                Integer.toString(letter.replayCount() + 1).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(letter.sourceTopic().orElseThrow(), null, letter.timestamp(), letter.key(),
                letter.value(), headers);
    }

    /** The headers the projector added when it dead-lettered the record (the replay count is re-added above). */
    static boolean isCauseHeader(String name) {
        return name.startsWith("__streams.errors.") || name.startsWith("cachep.");
    }

    /** Records that would be replayed, for a dry run's sample. */
    public static List<DeadLetter> sample(List<DeadLetter> replayable, int size) {
        return new ArrayList<>(replayable.subList(0, Math.min(size, replayable.size())));
    }
}
