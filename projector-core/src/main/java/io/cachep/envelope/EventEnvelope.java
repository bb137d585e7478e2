package io.cachep.envelope;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudEvents 1.0 event as cachep uses it. Plain Java types only, so the rules can stay free of
 * Jackson, Kafka and Lettuce.
 *
 * @param id            unique event id (the dedup and log correlation key)
 * @param type          selects the projection rules
 * @param source        the producing service
 * @param subject       the entity id; also the Kafka record key, so one entity's events stay in one partition
 * @param time          event time: every TTL is computed from it, never from the wall clock
 * @param entityVersion monotonic per subject; the version fence compares it
 * @param data          the {@code data} object as nested maps, lists, strings, numbers, booleans and nulls
 * @param dataJson      the {@code data} object as compact JSON text, for {@code {data}} templates
 */
public record EventEnvelope(
        String id,
        String type,
        String source,
        String subject,
        Instant time,
        long entityVersion,
        Map<String, Object> data,
        String dataJson) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(dataJson, "dataJson");
        if (entityVersion < 0) {
            throw new IllegalArgumentException("entityVersion must be >= 0, was " + entityVersion);
        }
    }

    /** How log lines and DLQ messages locate an event: id and type, never payload values. */
    public String describe() {
        return "event " + id + " (" + type + ", subject version " + entityVersion + ")";
    }
}
