package io.cachep.dlqtool.dlq;

import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dead letters counted by reason, event type, original topic and hour of failure (UTC), with the oldest and newest
 * failure: the shape of a DLQ at a glance. Records without the header a count goes by are counted under a label
 * that says so, so every count adds up to the total.
 */
final class DeadLetterStats {
    static final String NO_REASON = "(no cachep.reason)";
    static final String NO_TYPE = "(type unreadable)";
    static final String NO_TOPIC = "(no original topic)";

    private long total;
    private long pending;
    private Instant oldest;
    private Instant newest;
    private final Map<String, Long> byReason = new HashMap<>();
    private final Map<String, Long> byType = new HashMap<>();
    private final Map<String, Long> byTopic = new HashMap<>();
    private final TreeMap<Instant, Long> byHour = new TreeMap<>();

    void add(DeadLetter letter, boolean isPending) {
        total++;
        if (isPending) {
            pending++;
        }
        Instant failedAt = letter.failedAtOrTimestamp();
        oldest = oldest == null || failedAt.isBefore(oldest) ? failedAt : oldest;
        newest = newest == null || failedAt.isAfter(newest) ? failedAt : newest;
        byReason.merge(letter.header(DeadLetterHeaders.REASON).orElse(NO_REASON), 1L, Long::sum);
        byType.merge(letter.eventType().orElse(NO_TYPE), 1L, Long::sum);
        byTopic.merge(letter.sourceTopic().orElse(NO_TOPIC), 1L, Long::sum);
        byHour.merge(failedAt.truncatedTo(ChronoUnit.HOURS), 1L, Long::sum);
    }

    long total() {
        return total;
    }

    long pending() {
        return pending;
    }

    Optional<Instant> oldest() {
        return Optional.ofNullable(oldest);
    }

    Optional<Instant> newest() {
        return Optional.ofNullable(newest);
    }

    /** Largest count first, then by name, so the likeliest cause is on top. */
    Map<String, Long> byReason() {
        return ranked(byReason);
    }

    Map<String, Long> byType() {
        return ranked(byType);
    }

    Map<String, Long> byTopic() {
        return ranked(byTopic);
    }

    /** Oldest hour first, hours without failures left out. */
    Map<Instant, Long> byHour() {
        return new LinkedHashMap<>(byHour);
    }

    private static Map<String, Long> ranked(Map<String, Long> counts) {
        Map<String, Long> ranked = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> ranked.put(e.getKey(), e.getValue()));
        return ranked;
    }
}
