package io.cachep.projector.topology;

import io.cachep.projector.inflight.InFlightRegistry;
import io.cachep.projector.inflight.InFlightWindow;
import io.cachep.projector.inflight.PendingEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The stream thread's producer, with the commit barrier in {@link #flush()}.
 *
 * <p>Kafka Streams 4.3 commits a task's offsets in {@code TaskExecutor.commitTasksAndMaybeUpdateCommittableOffsets}
 * right after {@code StreamTask.prepareCommit}, which calls {@code flush()} → {@code recordCollector.flush()} →
 * {@code StreamsProducer.flush()} → this {@code flush()}, on the stream thread. So before the producer's own flush,
 * this waits until Redis has acknowledged every write in flight on the thread, and sends the dead-letter records of
 * events Redis refused; the producer's flush then waits for their acknowledgement from Kafka. Only then are offsets
 * committed. A failure here throws, and nothing is committed. (State stores are flushed after the commit, which is
 * why a store's flush could not be this barrier.)
 */
final class CommitBarrierProducer extends KafkaProducer<byte[], byte[]> {
    private final InFlightRegistry inFlight;
    private final Outcomes outcomes;
    private final String deadLetterTopic;
    private final Duration maxWait;

    /** What to do with each finished event (metrics, or a dead letter). */
    public interface Outcomes {
        /** @return the dead-letter record to send for a poison event, or null when there is none */
        ProducerRecord<byte[], byte[]> settle(PendingEvent event, String deadLetterTopic);
    }

    CommitBarrierProducer(Map<String, Object> config, InFlightRegistry inFlight, Outcomes outcomes,
                          String deadLetterTopic, Duration maxWait) {
        super(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.inFlight = inFlight;
        this.outcomes = outcomes;
        this.deadLetterTopic = deadLetterTopic;
        this.maxWait = maxWait;
    }

    @Override
    public void flush() {
        InFlightWindow window = inFlight.currentIfAny();
        if (window != null) {
            List<PendingEvent> finished = window.awaitAll(maxWait);
            for (PendingEvent event : finished) {
                ProducerRecord<byte[], byte[]> deadLetter = outcomes.settle(event, deadLetterTopic);
                if (deadLetter != null) {
                    send(deadLetter);
                }
            }
        }
        super.flush();
    }

    @Override
    public void close(Duration timeout) {
        inFlight.release();
        super.close(timeout);
    }
}
