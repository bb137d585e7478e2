package io.cachep.dlqtool.dlq;

import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.dlqtool.TestDeployment;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Dead letters as the projector writes them: the original record's key, value, timestamp and headers, plus the cause
 * headers of {@link DeadLetterHeaders#addCause}. For tests that need a DLQ without running a projector.
 */
public final class DeadLetterFixture {
    private DeadLetterFixture() {}

    /** What failed and where; build with {@link #of} and the withers. */
    public record Letter(String key, byte[] value, PoisonReason reason, String message, String rule, String sourceTopic,
                         int sourcePartition, long sourceOffset, Instant failedAt, RecordHeaders originalHeaders) {
        public Letter failedAt(Instant at) {
            return new Letter(key, value, reason, message, rule, sourceTopic, sourcePartition, sourceOffset, at, originalHeaders);
        }

        public Letter from(String topic, int partition, long offset) {
            return new Letter(key, value, reason, message, rule, topic, partition, offset, failedAt, originalHeaders);
        }

        public Letter value(byte[] bytes) {
            return new Letter(key, bytes, reason, message, rule, sourceTopic, sourcePartition, sourceOffset, failedAt, originalHeaders);
        }

        public Letter header(String name, byte[] bytes) {
            RecordHeaders headers = new RecordHeaders(originalHeaders.toArray());
            headers.add(name, bytes);
            return new Letter(key, value, reason, message, rule, sourceTopic, sourcePartition, sourceOffset, failedAt, headers);
        }

        /**
         * The DLQ record the projector would send, to {@code partition} (null: the producer picks). Its timestamp is the
         * original record's, a second before it failed: recent, so retention leaves it alone.
         */
        public ProducerRecord<byte[], byte[]> toDlq(String dlqTopic, Integer partition) {
            RecordHeaders headers = new RecordHeaders(originalHeaders.toArray());
            DeadLetterHeaders.addCause(headers, new DeadLetterHeaders.Cause(reason,
                    new PoisonEventException(reason, message, rule, null), sourceTopic, sourcePartition, sourceOffset,
                    failedAt, 1, "it-app", "apply", rule));
            byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(dlqTopic, partition, failedAt.toEpochMilli() - 1_000, keyBytes, value, headers);
        }

        /** The same record as read back from {@code partition} at {@code offset} of the DLQ. */
        public DeadLetter readBack(int partition, long offset) {
            ProducerRecord<byte[], byte[]> sent = toDlq("dlq", partition);
            return new DeadLetter(new ConsumerRecord<>("dlq", partition, offset, sent.timestamp(), TimestampType.CREATE_TIME,
                    ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, sent.key(), sent.value(), sent.headers(), Optional.empty()));
        }
    }

    /** A structured-mode CloudEvent of {@code type} for {@code subject} that failed with {@code reason}. */
    public static Letter of(String type, String subject, PoisonReason reason, String message) {
        Instant failedAt = Instant.parse("2026-01-02T03:30:00Z");
        return new Letter(subject, TestDeployment.event(type, subject, "{\"name\":\"secret-" + subject + "\"}",
                failedAt.minusSeconds(1)), reason, message, null, "events", 0, 0, failedAt, new RecordHeaders());
    }
}
