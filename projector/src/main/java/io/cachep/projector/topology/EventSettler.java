package io.cachep.projector.topology;

import io.cachep.errors.PoisonEventException;
import io.cachep.projector.inflight.PendingEvent;
import io.cachep.projector.inflight.SourceRecord;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Accounts for an event whose writes have finished: acknowledged (nothing left to do: the metrics were counted when
 * Redis answered), refused for good (to the DLQ), or failed (processing stops; the thread restarts from the last
 * commit, or the projector stops on a fatal error).
 */
public final class EventSettler implements CommitBarrierProducer.Outcomes {
    private final ProjectionMetrics metrics;
    private final String applicationId;

    public EventSettler(ProjectionMetrics metrics, String applicationId) {
        this.metrics = metrics;
        this.applicationId = applicationId;
    }

    /**
     * @return null when Redis acknowledged the event's writes; the reason when it must be dead-lettered
     * @throws ProjectionFailure when processing must stop
     */
    PoisonEventException poisonOf(PendingEvent event) {
        if (!event.result().isCompletedExceptionally()) {
            return null;
        }
        Throwable error = failure(event);
        if (error instanceof PoisonEventException poison) {
            metrics.deadLettered(event.type(), poison.reason());
            return poison;
        }
        if (error instanceof ProjectionFailure failure) {
            throw failure;
        }
        throw new ProjectionFailure(ProjectionFailure.Kind.FATAL, "unexpected failure applying "
                + event.source().location() + ": " + error, error);
    }

    RecordHeaders deadLetterHeaders(SourceRecord source, PoisonEventException poison, String rule) {
        return new DeadLetters(applicationId).headers(source, poison, rule);
    }

    @Override
    public ProducerRecord<byte[], byte[]> settle(PendingEvent event, String deadLetterTopic) {
        PoisonEventException poison = poisonOf(event);
        if (poison == null) {
            return null;
        }
        SourceRecord source = event.source();
        return new ProducerRecord<>(deadLetterTopic, null, source.timestamp(), source.key(), source.value(),
                deadLetterHeaders(source, poison, event.rule()));
    }

    private static Throwable failure(PendingEvent event) {
        try {
            event.result().join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }
}
