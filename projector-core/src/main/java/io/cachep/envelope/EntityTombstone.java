package io.cachep.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * A Kafka tombstone (a record with a null value) read as "this entity is gone". Plain Java types only, like
 * {@link EventEnvelope}, so the rules can stay free of Kafka and Jackson.
 *
 * @param subject       the entity id, from the record key
 * @param entityVersion the version that removed the entity, so the version fence can order the removal
 * @param time          from {@code ce_time}, else the record timestamp; never the wall clock
 * @param id            from {@code ce_id}, else {@code tombstone:<subject>:<version>}, which is the same on every
 *                      redelivery, so deduplication still works
 */
public record EntityTombstone(String subject, long entityVersion, Instant time, String id) {

    public EntityTombstone {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        if (entityVersion < 0) {
            throw new IllegalArgumentException("entityVersion must be >= 0, was " + entityVersion);
        }
    }
}
