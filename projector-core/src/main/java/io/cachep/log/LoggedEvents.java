package io.cachep.log;

import io.cachep.envelope.CloudEventReader;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/** Turns log records into events as the projector reads them (either mode, tombstones too); poison gives nothing. */
public final class LoggedEvents {
    private final CloudEventReader reader = new CloudEventReader();

    public Optional<LoggedEvent> of(ConsumerRecord<byte[], byte[]> record) {
        return of(record.topic(), record.key(), record.value(), record.headers(), record.timestamp());
    }

    /** The same for a record's parts (as a Kafka Streams processor sees them). */
    public Optional<LoggedEvent> of(String topic, byte[] key, byte[] value, Headers headers, long timestamp) {
        try {
            return Optional.of(new LoggedEvent(topic, reader.isTombstone(value)
                    ? RuleEngine.tombstoneEvent(reader.readTombstone(key, headers, timestamp))
                    : reader.read(key, value, headers)));
        } catch (PoisonEventException poison) {
            return Optional.empty();
        }
    }
}
