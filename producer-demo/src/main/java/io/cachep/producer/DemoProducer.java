package io.cachep.producer;

import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import io.cachep.topics.ProducerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a scenario's events at a steady rate for a while, counting what was sent by kind. Used by
 * {@code bin/producer-demo} and, in-process, by the demo.
 */
public final class DemoProducer {
    /**
     * The largest request the demo producer sends: 2 MiB, what the demo's topics accept ({@code max.message.bytes}
     * in {@code topics/}), so the fault injector's too-large poison (over the projector's 1 MiB limit) can be sent.
     */
    public static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    private final Producer<String, byte[]> producer;

    public DemoProducer(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /**
     * A producer for demo events: keys as strings (the subject), values as the exact bytes, cachep's lossless
     * settings ({@link ProducerSettings}), requests up to {@link #MAX_REQUEST_BYTES}.
     */
    public static Producer<String, byte[]> kafkaProducer(String bootstrapServers, String clientId) {
        return kafkaProducer(bootstrapServers, clientId, Map.of());
    }

    /**
     * The same, with client settings (SASL, TLS, tuning) laid over the demo's, as {@code projector.kafka.*} is laid
     * over the projector's; {@code bootstrapServers} wins over any in {@code clientSettings}.
     */
    public static Producer<String, byte[]> kafkaProducer(String bootstrapServers, String clientId,
                                                         Map<String, Object> clientSettings) {
        Properties props = new Properties();
        props.putAll(ProducerSettings.lossless());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.putAll(clientSettings);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Counts by kind: event types, {@code duplicate:<type>} and {@code poison:<what>}. */
    public record Summary(Map<String, Long> byKind, Duration elapsed) {
        public long total() {
            return byKind.values().stream().mapToLong(Long::longValue).sum();
        }

        public long count(String kindPrefix) {
            return byKind.entrySet().stream().filter(e -> e.getKey().startsWith(kindPrefix))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * Runs until {@code duration} has passed or {@code stop} says so, then sends what is held back and flushes.
     *
     * @param rate events per second (scenario steps; duplicates and poison come on top)
     */
    public Summary run(FaultInjector events, double rate, Duration duration, BooleanSupplier stop) {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        double intervalNanos = 1e9 / rate;
        for (long step = 0; ; step++) {
            long due = started + (long) (step * intervalNanos);
            if (due >= end || stop.getAsBoolean() || failure.get() != null) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(events.next(Instant.now()), counts, failure);
        }
        send(events.drain(), counts, failure);
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("sending to Kafka failed: " + failure.get().getMessage(), failure.get());
        }
        Map<String, Long> byKind = new TreeMap<>();
        counts.forEach((kind, n) -> byKind.put(kind, n.sum()));
        return new Summary(byKind, Duration.ofNanos(System.nanoTime() - started));
    }

    private void send(List<DemoEvent> batch, Map<String, LongAdder> counts, AtomicReference<Exception> failure) {
        for (DemoEvent event : batch) {
            producer.send(new ProducerRecord<>(event.topic(), event.key(), event.value()), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else {
                    counts.computeIfAbsent(event.kind(), k -> new LongAdder()).increment();
                }
            });
        }
    }
}
