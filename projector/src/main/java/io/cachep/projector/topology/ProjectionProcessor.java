package io.cachep.projector.topology;

import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.EventStamp;
import io.cachep.envelope.CloudEventReader;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.projector.inflight.InFlightRegistry;
import io.cachep.projector.inflight.PendingEvent;
import io.cachep.projector.inflight.SourceRecord;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Projects each record: envelope (structured or binary CloudEvent, or a Kafka tombstone) → rules → fenced Redis
 * apply. Writes are pipelined: the record's writes are sent and the processor goes on, within the thread's bounded
 * {@link io.cachep.projector.inflight.InFlightWindow}; the producer's commit barrier waits for them before any
 * offset is committed. A poison record goes to the dead-letter sink with its cause; nothing is ever skipped.
 */
final class ProjectionProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ProjectionProcessor.class);

    private final CloudEventReader reader = new CloudEventReader();
    private final RuleEngine engine;
    private final RetryingApplier applier;
    private final ProjectionMetrics metrics;
    private final InFlightRegistry inFlight;
    private final EventSettler settler;
    private final ProcessingPolicy policy;
    private ProcessorContext<byte[], byte[]> context;

    ProjectionProcessor(RuleEngine engine, RetryingApplier applier, ProjectionMetrics metrics, InFlightRegistry inFlight,
                        EventSettler settler, ProcessingPolicy policy) {
        this.policy = policy;
        this.engine = engine;
        this.applier = applier;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.settler = settler;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        SourceRecord source = new SourceRecord(meta.topic(), meta.partition(), meta.offset(), record.key(),
                record.value(), record.timestamp(), record.headers());
        EventEnvelope event = null;
        try {
            if (record.value() != null && record.value().length > policy.maxEventBytes()) {
                throw new PoisonEventException(PoisonReason.VALUE_TOO_LARGE, "record value of " + record.value().length
                        + " bytes is over projector.max.event.bytes (" + policy.maxEventBytes() + ") at " + source.location());
            }
            event = reader.isTombstone(record.value())
                    ? RuleEngine.tombstoneEvent(reader.readTombstone(record.key(), record.headers(), record.timestamp()))
                    : reader.read(record.key(), record.value(), record.headers());
            MDC.put("requestId", event.id());
            MDC.put("topic", meta.topic());
            MDC.put("partition", Integer.toString(meta.partition()));
            MDC.put("offset", Long.toString(meta.offset()));
            List<Mutation> mutations = engine.project(meta.topic(), event);
            send(source, event, mutations);
        } catch (PoisonEventException poison) {
            if (poison.reason() == PoisonReason.UNKNOWN_TYPE && policy.ignoreUnknownTypes()) {
                metrics.ignored(event == null ? null : event.type());
                return;
            }
            metrics.deadLettered(event == null ? null : event.type(), poison.reason());
            deadLetter(source, poison, null);
        } finally {
            MDC.clear();
        }
    }

    private void send(SourceRecord source, EventEnvelope event, List<Mutation> mutations) {
        String type = event.type();
        long started = System.nanoTime();
        CompletableFuture<List<ApplyOutcome>> result = applier.apply(EventStamp.of(event), mutations,
                event.describe() + " at " + source.location());
        String eventId = event.id();
        result.whenComplete((outcomes, error) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            String outcome = error == null ? ApplyOutcome.ofEvent(outcomes).label() : "failed";
            if (error == null) {
                metrics.applied(type, ApplyOutcome.ofEvent(outcomes), latency);
            }
            // The seeds' log schema, at DEBUG only: never a line per record at INFO.
            log.atDebug().addKeyValue("requestId", eventId).addKeyValue("operation", "apply")
                    .addKeyValue("durationMs", latency.toMillis()).addKeyValue("outcome", outcome)
                    .addKeyValue("errorClass", error == null ? null : error.getClass().getSimpleName())
                    .log("applied {}", source.location());
        });
        String rule = mutations.isEmpty() ? null : mutations.get(0).rule();
        List<PendingEvent> finished = inFlight.current().admit(new PendingEvent(source, type, rule, result),
                applier.budget().total());
        finished.forEach(this::settle);
    }

    /** Accounts for an event whose writes finished: a poison one is dead-lettered here, on the stream thread. */
    private void settle(PendingEvent event) {
        PoisonEventException poison = settler.poisonOf(event);
        if (poison != null) {
            deadLetter(event.source(), poison, event.rule());
        }
    }

    private void deadLetter(SourceRecord source, PoisonEventException poison, String rule) {
        context.forward(new Record<>(source.key(), source.value(), source.timestamp(),
                settler.deadLetterHeaders(source, poison, rule)), ProjectionTopology.DEAD_LETTER_SINK);
        log.debug("dead-lettered {}: {}", source.location(), poison.getMessage());
    }
}
