package io.cachep.bench;

import io.cachep.producer.scenario.FaultInjector;
import io.cachep.topics.ProducerSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the workload into its topics as fast as the broker takes it, before any consumer is timed. */
final class Preloader {
    /** What was written: records, distinct entities (topic and key), value bytes, and how long it took. */
    record Loaded(long records, long entities, long bytes, Duration elapsed) {}

    private Preloader() {}

    static Producer<String, byte[]> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.putAll(ProducerSettings.lossless());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cachep-bench-preload");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes the first {@code workload.events()} records of {@code stream}; the stream goes on from there for live runs. */
    static Loaded load(String bootstrapServers, Workload workload, FaultInjector stream) {
        Set<String> entities = new HashSet<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] bytes = {0};
        long started = System.nanoTime();
        try (Producer<String, byte[]> producer = producer(bootstrapServers)) {
            workload.forEachRecord(stream, event -> {
                entities.add(event.topic() + '\u0000' + event.key());
                bytes[0] += event.value().length;
                producer.send(new ProducerRecord<>(event.topic(), event.key(), event.value()), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            });
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("pre-loading the topics failed: " + failure.get().getMessage(), failure.get());
        }
        return new Loaded(workload.events(), entities.size(), bytes[0], Duration.ofNanos(System.nanoTime() - started));
    }
}
