package io.cachep.projector.topology;

import io.cachep.projector.inflight.InFlightRegistry;
import io.cachep.rules.RuleEngine;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * Builds the projector's topology: one source over every topic the rules read, the projection processor, and the
 * dead-letter sink. Every node is named explicitly, so adding a node never renames another.
 */
public final class ProjectionTopology {
    public static final String SOURCE = "events-source";
    public static final String PROCESSOR = "projection-processor";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private ProjectionTopology() {}

    public static Topology build(RuleEngine engine, RetryingApplier applier, ProjectionMetrics metrics,
                                 InFlightRegistry inFlight, EventSettler settler, ProcessingPolicy policy,
                                 String deadLetterTopic) {
        Topology topology = new Topology();
        // Values stay bytes until the processor: a record that is not even JSON must reach the DLQ unchanged.
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                engine.rules().topics().toArray(String[]::new));
        topology.addProcessor(PROCESSOR,
                () -> new ProjectionProcessor(engine, applier, metrics, inFlight, settler, policy), SOURCE);
        topology.addSink(DEAD_LETTER_SINK, deadLetterTopic, new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
