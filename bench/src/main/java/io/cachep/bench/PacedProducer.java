package io.cachep.bench;

import io.cachep.producer.scenario.DemoEvent;
import io.cachep.producer.scenario.FaultInjector;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends a stream's next events at a steady rate (catching up, never bursting ahead, when it falls behind), for live
 * load while something else is measured.
 */
final class PacedProducer {
    private PacedProducer() {}

    /**
     * @param beforeSend sees each event just before it is sent
     * @return records sent
     */
    static long run(Producer<String, byte[]> producer, FaultInjector stream, double rate, Duration duration,
                    BooleanSupplier stop, Consumer<DemoEvent> beforeSend) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        double interval = 1e9 / rate;
        for (long step = 0; ; step++) {
            long due = started + (long) (step * interval);
            if (due >= end || stop.getAsBoolean() || failure.get() != null) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            for (DemoEvent event : stream.next(Instant.now())) {
                beforeSend.accept(event);
                producer.send(new ProducerRecord<>(event.topic(), event.key(), event.value()), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                sent++;
            }
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("producing live events failed: " + failure.get().getMessage(), failure.get());
        }
        return sent;
    }
}
