package io.cachep.projector.topology;

import io.cachep.projector.inflight.InFlightRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/** Kafka Streams' clients as usual, but the producer is a {@link CommitBarrierProducer}. Public API only. */
public final class CommitBarrierClientSupplier implements KafkaClientSupplier {
    private final InFlightRegistry inFlight;
    private final CommitBarrierProducer.Outcomes outcomes;
    private final String deadLetterTopic;
    private final Duration maxWait;

    public CommitBarrierClientSupplier(InFlightRegistry inFlight, CommitBarrierProducer.Outcomes outcomes,
                                       String deadLetterTopic, Duration maxWait) {
        this.inFlight = inFlight;
        this.outcomes = outcomes;
        this.deadLetterTopic = deadLetterTopic;
        this.maxWait = maxWait;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new CommitBarrierProducer(config, inFlight, outcomes, deadLetterTopic, maxWait);
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
