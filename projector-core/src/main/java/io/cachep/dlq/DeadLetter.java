package io.cachep.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One record of the dead-letter topic, read back: where it sits in the DLQ, the original record (key, value,
 * timestamp and headers unchanged) and the cause headers, decoded. Records written by Kafka Streams' own DLQ
 * (KIP-1034 headers only) read too: their cachep fields are empty.
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public int dlqPartition() {
        return record.partition();
    }

    public long dlqOffset() {
        return record.offset();
    }

    /** {@code <partition>:<offset>} in the DLQ, how the CLI names a record. */
    public String position() {
        return record.partition() + ":" + record.offset();
    }

    public byte[] key() {
        return record.key();
    }

    public String keyText() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    public byte[] value() {
        return record.value();
    }

    public long timestamp() {
        return record.timestamp();
    }

    public Headers headers() {
        return record.headers();
    }

    /** The cachep reason, if the record carries a known one. */
    public Optional<PoisonReason> reason() {
        return header(DeadLetterHeaders.REASON).flatMap(text -> {
            try {
                return Optional.of(PoisonReason.valueOf(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    public Optional<String> sourceTopic() {
        return header(DeadLetterHeaders.TOPIC);
    }

    public Optional<Integer> sourcePartition() {
        return header(DeadLetterHeaders.PARTITION).map(Integer::valueOf);
    }

    public Optional<Long> sourceOffset() {
        return header(DeadLetterHeaders.OFFSET).map(Long::valueOf);
    }

    public Optional<String> exception() {
        return header(DeadLetterHeaders.EXCEPTION);
    }

    public Optional<String> message() {
        return header(DeadLetterHeaders.MESSAGE);
    }

    public Optional<String> stackTrace() {
        return header(DeadLetterHeaders.STACKTRACE);
    }

    public Optional<String> rule() {
        return header(DeadLetterHeaders.RULE);
    }

    public Optional<Instant> failedAt() {
        return header(DeadLetterHeaders.FAILED_AT).map(Instant::parse);
    }

    /**
     * When the record failed; for a record without {@code cachep.failed-at} (a native Kafka Streams DLQ's), its own
     * timestamp, the best guess there is. What the CLI's time filters, listings and ages go by.
     */
    public Instant failedAtOrTimestamp() {
        return failedAt().orElseGet(() -> Instant.ofEpochMilli(record.timestamp()));
    }

    /** How often the record was replayed already (0 when never). */
    public int replayCount() {
        return header(DeadLetterHeaders.REPLAY_COUNT).map(Integer::parseInt).orElse(0);
    }

    /** The last value of a header as UTF-8 text. */
    public Optional<String> header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The CloudEvents type of the original event, when it can be read (structured JSON or a ce_type header). */
    public Optional<String> eventType() {
        Optional<String> binary = header("ce_type");
        if (binary.isPresent()) {
            return binary;
        }
        if (record.value() == null) {
            return Optional.empty();
        }
        try {
            JsonNode type = JSON.readTree(record.value()).get("type");
            return type != null && type.isTextual() ? Optional.of(type.asText()) : Optional.empty();
        } catch (java.io.IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }
}
