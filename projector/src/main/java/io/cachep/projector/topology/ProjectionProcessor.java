package io.cachep.projector.topology;

import io.cachep.apply.ApplyOutcome;
import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisFailure;
import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.envelope.CloudEventReader;
import io.cachep.envelope.EventEnvelope;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import io.cachep.rules.Mutation;
import io.cachep.rules.RuleEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Projects each record: envelope (structured or binary CloudEvent, or a Kafka tombstone) → rules → fenced Redis
 * apply. A poison record goes to the dead-letter sink with its
 * cause; a failing Redis is retried within a {@link RetryBudget} and then fails the thread, which restarts from the
 * last commit. Nothing is skipped.
 *
 * <p>Each record's writes are acknowledged by Redis before {@code process} returns, so no offset can be committed
 * ahead of Redis. (Pipelining with a commit barrier is the next step; see docs/architecture.md.)
 */
final class ProjectionProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ProjectionProcessor.class);

    private final CloudEventReader reader = new CloudEventReader();
    private final RuleEngine engine;
    private final RedisApplier applier;
    private final ProjectionMetrics metrics;
    private final RetryBudget retry;
    private final Duration callTimeout;
    private final String applicationId;
    private ProcessorContext<byte[], byte[]> context;

    ProjectionProcessor(RuleEngine engine, RedisApplier applier, ProjectionMetrics metrics, RetryBudget retry,
                        Duration callTimeout, String applicationId) {
        this.engine = engine;
        this.applier = applier;
        this.metrics = metrics;
        this.retry = retry;
        this.callTimeout = callTimeout;
        this.applicationId = applicationId;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        EventEnvelope event = null;
        try {
            event = reader.isTombstone(record.value())
                    ? RuleEngine.tombstoneEvent(reader.readTombstone(record.key(), record.headers(), record.timestamp()))
                    : reader.read(record.key(), record.value(), record.headers());
            MDC.put("requestId", event.id());
            MDC.put("topic", source.topic());
            MDC.put("partition", Integer.toString(source.partition()));
            MDC.put("offset", Long.toString(source.offset()));
            List<Mutation> mutations = engine.project(source.topic(), event);
            long started = System.nanoTime();
            ApplyOutcome outcome = ApplyOutcome.ofEvent(applyWithRetry(event, mutations));
            metrics.applied(event.type(), outcome, Duration.ofNanos(System.nanoTime() - started));
        } catch (PoisonEventException poison) {
            deadLetter(record, source, event, poison);
        } finally {
            MDC.clear();
        }
    }

    private List<ApplyOutcome> applyWithRetry(EventEnvelope event, List<Mutation> mutations) {
        long deadline = System.nanoTime() + retry.total().toNanos();
        for (int attempt = 0; ; attempt++) {
            Throwable failure;
            try {
                return applier.apply(EventStamp.of(event), mutations).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (TimeoutException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT, "interrupted while applying " + event.describe(), e);
            }
            RedisFailure kind = failure instanceof TimeoutException ? RedisFailure.TRANSIENT : RedisFailure.classify(failure);
            if (kind == RedisFailure.POISON) {
                throw new PoisonEventException(PoisonReason.WRONG_REDIS_TYPE,
                        "Redis refused the write of " + event.describe() + ": " + failure.getMessage(), failure);
            }
            if (kind == RedisFailure.FATAL) {
                throw new ProjectionFailure(ProjectionFailure.Kind.FATAL,
                        "Redis refused " + event.describe() + " for a reason no retry can fix: " + failure.getMessage(), failure);
            }
            Duration backoff = retry.backoff(attempt);
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                throw new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT, "Redis still failing after " + (attempt + 1)
                        + " attempts at " + event.describe() + "; restarting from the last commit", failure);
            }
            if (attempt == 0) {
                log.warn("Redis call failed ({}); retrying for up to {} s", failure.toString(), retry.total().toSeconds());
            }
            sleep(backoff);
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, EventEnvelope event, PoisonEventException poison) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.addCause(headers, new DeadLetterHeaders.Cause(poison.reason(), poison, source.topic(),
                source.partition(), source.offset(), Instant.now(), 1, applicationId, ProjectionTopology.PROCESSOR,
                poison.rule()));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), ProjectionTopology.DEAD_LETTER_SINK);
        metrics.deadLettered(event == null ? null : event.type(), poison.reason());
        log.debug("dead-lettered {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), poison.getMessage());
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionFailure(ProjectionFailure.Kind.TRANSIENT, "interrupted during retry backoff", e);
        }
    }
}
