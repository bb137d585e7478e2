package io.cachep.rules.spi;

import io.cachep.envelope.EventEnvelope;
import io.cachep.rules.Mutation;
import java.util.List;

/**
 * A projection the rules file cannot say, written in Java. Register an implementation with
 * {@link java.util.ServiceLoader} (a line in {@code META-INF/services/io.cachep.rules.spi.CustomRule}) and name it
 * in the rules file with {@code custom: <name>}.
 *
 * <p>Like every rule it must be pure (envelope in, mutations out: no I/O, no clock, no state), because the projector,
 * replays and the reference model all call it and must get the same answer. Its writes are fenced like any other.
 */
public interface CustomRule {

    /** The name the rules file uses. */
    String name();

    /**
     * The mutations for one event. Build keys with {@link RuleContext#entry(String, EventEnvelope)} so they land in
     * the rules' namespace with the entity id as hash tag. Throw
     * {@link io.cachep.errors.PoisonEventException} for an event that can never be projected.
     */
    List<Mutation> project(EventEnvelope event, RuleContext context);
}
