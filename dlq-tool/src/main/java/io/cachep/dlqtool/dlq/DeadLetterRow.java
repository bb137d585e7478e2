package io.cachep.dlqtool.dlq;

import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One dead letter as {@code dlq list} shows it: enough to see what failed, where it came from and why, without the
 * payload. Kept instead of the record itself, so listing a large DLQ does not hold every value in memory.
 */
record DeadLetterRow(DlqPosition position, Instant failedAt, String reason, String type, String key,
                     String sourceTopic, Integer sourcePartition, Long sourceOffset, int replayCount,
                     String exception, String message, boolean pending) {
    static final String[] HEADERS = {"dlq", "failed at", "reason", "type", "key", "from", "replays", "message"};
    private static final int MESSAGE_WIDTH = 60;
    private static final int KEY_WIDTH = 40;

    static DeadLetterRow of(DeadLetter letter, boolean pending) {
        return new DeadLetterRow(new DlqPosition(letter.dlqPartition(), letter.dlqOffset()), letter.failedAtOrTimestamp(),
                letter.header(DeadLetterHeaders.REASON).orElse(null),
                letter.eventType().orElse(null), letter.keyText(), letter.sourceTopic().orElse(null),
                letter.sourcePartition().orElse(null), letter.sourceOffset().orElse(null), letter.replayCount(),
                letter.exception().orElse(null), letter.message().orElse(null), pending);
    }

    /** The table cells, long texts cut to one short line. */
    Object[] cells() {
        return new Object[] {position, failedAt.truncatedTo(ChronoUnit.SECONDS), orDash(reason), orDash(type),
                cut(orDash(key), KEY_WIDTH), source(), replayCount, cut(orDash(message), MESSAGE_WIDTH)};
    }

    /** One JSON Lines object, texts whole. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("position", position.toString());
        json.put("partition", position.partition());
        json.put("offset", position.offset());
        json.put("failedAt", failedAt.toString());
        json.put("reason", reason);
        json.put("type", type);
        json.put("key", key);
        json.put("sourceTopic", sourceTopic);
        json.put("sourcePartition", sourcePartition);
        json.put("sourceOffset", sourceOffset);
        json.put("replayCount", replayCount);
        json.put("exception", exception);
        json.put("message", message);
        json.put("pending", pending);
        return json;
    }

    /** {@code topic-partition@offset}, as the projector's messages name a record. */
    String source() {
        return sourceTopic == null ? "-" : sourceTopic + "-" + orQuery(sourcePartition) + "@" + orQuery(sourceOffset);
    }

    static String cut(String text, int width) {
        String line = text.replaceAll("\\s*\\R\\s*", " ");
        return line.length() <= width ? line : line.substring(0, width - 3) + "...";
    }

    static String orDash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }

    private static String orQuery(Object value) {
        return value == null ? "?" : value.toString();
    }
}
