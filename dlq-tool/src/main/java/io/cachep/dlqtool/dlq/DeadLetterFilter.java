package io.cachep.dlqtool.dlq;

import io.cachep.dlq.DeadLetter;
import io.cachep.errors.PoisonReason;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which dead letters a command works on: by reason, event type, key, failure time and DLQ partition/offset. An
 * empty filter selects everything.
 */
public record DeadLetterFilter(Set<PoisonReason> reasons, String type, String key, Instant since, Instant until,
                               Integer partition, Long fromOffset) {
    public static final DeadLetterFilter ALL = new DeadLetterFilter(EnumSet.noneOf(PoisonReason.class), null, null,
            null, null, null, null);

    public boolean matches(DeadLetter letter) {
        if (!reasons.isEmpty() && letter.reason().map(r -> !reasons.contains(r)).orElse(true)) {
            return false;
        }
        if (type != null && !letter.eventType().map(type::equals).orElse(false)) {
            return false;
        }
        if (key != null && !key.equals(letter.keyText())) {
            return false;
        }
        Instant failedAt = letter.failedAtOrTimestamp();
        if ((since != null && failedAt.isBefore(since)) || (until != null && failedAt.isAfter(until))) {
            return false;
        }
        if (partition != null && letter.dlqPartition() != partition) {
            return false;
        }
        return fromOffset == null || letter.dlqOffset() >= fromOffset;
    }
}
