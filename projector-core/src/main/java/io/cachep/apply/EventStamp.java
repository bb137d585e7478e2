package io.cachep.apply;

import io.cachep.envelope.EventEnvelope;

/** What fences an event's writes: its entity version, and its event time (for tag invalidation). */
public record EventStamp(long version, long timeMillis) {
    public static EventStamp of(EventEnvelope event) {
        return new EventStamp(event.entityVersion(), event.time().toEpochMilli());
    }
}
