package io.cachep.envelope;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One CloudEvents 1.0 event as cachep uses it. Plain Java types only, so the rules can stay free of
 * Jackson, Kafka and Lettuce.
 *
 * <p>A value class with a record's accessors, equality and text, except that {@link #dataJson()} may be computed on
 * first use: most rules never render {@code {data}}, and writing the JSON for every event cost the projector a tenth
 * of its time per event.
 */
public final class EventEnvelope {
    private final String id;
    private final String type;
    private final String source;
    private final String subject;
    private final Instant time;
    private final long entityVersion;
    private final Map<String, Object> data;
    private Supplier<String> dataJsonSource;
    private String dataJson;

    /**
     * @param id            unique event id (the dedup and log correlation key)
     * @param type          selects the projection rules
     * @param source        the producing service
     * @param subject       the entity id; also the Kafka record key, so one entity's events stay in one partition
     * @param time          event time: every TTL is computed from it, never from the wall clock
     * @param entityVersion monotonic per subject; the version fence compares it
     * @param data          the {@code data} object as nested maps, lists, strings, numbers, booleans and nulls
     * @param dataJson      the {@code data} object as compact JSON text, for {@code {data}} templates
     */
    public EventEnvelope(String id, String type, String source, String subject, Instant time, long entityVersion,
                         Map<String, Object> data, String dataJson) {
        this(id, type, source, subject, time, entityVersion, data, (Supplier<String>) null);
        this.dataJson = Objects.requireNonNull(dataJson, "dataJson");
    }

    /** As above, with the JSON text of {@code data} written only if and when it is asked for. */
    EventEnvelope(String id, String type, String source, String subject, Instant time, long entityVersion,
                  Map<String, Object> data, Supplier<String> dataJson) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.source = Objects.requireNonNull(source, "source");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.time = Objects.requireNonNull(time, "time");
        this.data = Objects.requireNonNull(data, "data");
        if (entityVersion < 0) {
            throw new IllegalArgumentException("entityVersion must be >= 0, was " + entityVersion);
        }
        this.entityVersion = entityVersion;
        this.dataJsonSource = dataJson;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String source() {
        return source;
    }

    public String subject() {
        return subject;
    }

    public Instant time() {
        return time;
    }

    public long entityVersion() {
        return entityVersion;
    }

    public Map<String, Object> data() {
        return data;
    }

    /** The {@code data} object as compact JSON text, for {@code {data}} templates. Used by one thread at a time. */
    public String dataJson() {
        if (dataJson == null) {
            dataJson = Objects.requireNonNull(dataJsonSource.get(), "dataJson");
            dataJsonSource = null;
        }
        return dataJson;
    }

    /** How log lines and DLQ messages locate an event: id and type, never payload values. */
    public String describe() {
        return "event " + id + " (" + type + ", subject version " + entityVersion + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventEnvelope e && id.equals(e.id) && type.equals(e.type) && source.equals(e.source)
                && subject.equals(e.subject) && time.equals(e.time) && entityVersion == e.entityVersion
                && data.equals(e.data) && dataJson().equals(e.dataJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, source, subject, time, entityVersion, data);
    }

    @Override
    public String toString() {
        return "EventEnvelope[id=" + id + ", type=" + type + ", source=" + source + ", subject=" + subject + ", time="
                + time + ", entityVersion=" + entityVersion + ", data=" + data + ", dataJson=" + dataJson() + "]";
    }
}
