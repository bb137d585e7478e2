package io.cachep.log;

import io.cachep.envelope.CloudEventReader;
import io.cachep.errors.PoisonEventException;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns log records into events as the projector reads them (either mode, tombstones too); poison gives nothing. */
public final class LoggedEvents {
    private final CloudEventReader reader = new CloudEventReader();

    public Optional<LoggedEvent> of(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Optional.of(new LoggedEvent(record.topic(), reader.isTombstone(record.value())
                    ? RuleEngine.tombstoneEvent(reader.readTombstone(record.key(), record.headers(), record.timestamp()))
                    : reader.read(record.key(), record.value(), record.headers())));
        } catch (PoisonEventException poison) {
            return Optional.empty();
        }
    }
}
