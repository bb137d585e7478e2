package io.cachep.projector.topology;

import io.cachep.dlq.DeadLetterHeaders;
import io.cachep.errors.PoisonEventException;
import io.cachep.projector.inflight.SourceRecord;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds the headers of a dead-letter record: the original record's own, then the cause. */
final class DeadLetters {
    private final String applicationId;

    DeadLetters(String applicationId) {
        this.applicationId = applicationId;
    }

    RecordHeaders headers(SourceRecord source, PoisonEventException poison, String rule) {
        RecordHeaders headers = new RecordHeaders(source.headers() == null ? new org.apache.kafka.common.header.Header[0]
                : source.headers().toArray());
        DeadLetterHeaders.addCause(headers, new DeadLetterHeaders.Cause(poison.reason(), poison, source.topic(),
                source.partition(), source.offset(), Instant.now(), 1, applicationId, ProjectionTopology.PROCESSOR,
                poison.rule() != null ? poison.rule() : rule));
        return headers;
    }
}
