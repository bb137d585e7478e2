package io.cachep.projector.inflight;

import io.cachep.apply.ApplyOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One event whose Redis writes have been sent and not yet acknowledged.
 *
 * @param type   the event type (a metric label), or null
 * @param rule   the first rule the event matched (for a dead-letter record), or null
 * @param result completes with the outcome of each mutation, or fails with a PoisonEventException (the event must
 *               be dead-lettered) or a ProjectionFailure (processing must stop and restart from the last commit)
 */
public record PendingEvent(SourceRecord source, String type, String rule, CompletableFuture<List<ApplyOutcome>> result) {}
