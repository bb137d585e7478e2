package io.cachep.envelope;

import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.time.Instant;
import java.util.Locale;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one entry point for Kafka records: picks the CloudEvents content mode per record and reads tombstones.
 *
 * <p>Mode, per the Kafka protocol binding (section 3): a {@code content-type} starting with
 * {@code application/cloudevents} means structured, even when {@code ce_} headers are present (the binding lets
 * structured producers mirror attributes into headers). Otherwise a {@code ce_specversion} header means binary,
 * even when the value happens to be a structured event: the headers win. Otherwise structured, because many
 * producers of structured events set no {@code content-type} at all.
 *
 * <p>Call {@link #isTombstone} first: a null value is a tombstone, read by {@link #readTombstone}, never by {@link #read}.
 */
public final class CloudEventReader {
    private static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents";

    private final CloudEventJsonParser structured = new CloudEventJsonParser();
    private final CloudEventBinaryParser binary = new CloudEventBinaryParser();

    /**
     * @param headers the record's headers; null is read as none
     * @throws PoisonEventException     when the record can never be applied
     * @throws IllegalArgumentException for a tombstone (null value), which has no envelope
     */
    public EventEnvelope read(byte[] key, byte[] value, Headers headers) {
        if (value == null) {
            throw new IllegalArgumentException("a record with a null value is a tombstone: use readTombstone");
        }
        Headers h = headers == null ? new RecordHeaders() : headers;
        return isBinary(h) ? binary.parse(key, value, h) : structured.parse(key, value);
    }

    public boolean isTombstone(byte[] value) {
        return value == null;
    }

    /**
     * Reads a tombstone: the key is the subject, {@code ce_entityversion} is required (without it the fence could
     * not order the removal against the entity's updates), {@code ce_id} and {@code ce_time} are optional, and
     * {@code ce_type} and other headers are ignored (the tombstone does not carry them).
     *
     * @param recordTimestampMillis the record's timestamp, the tombstone's time when it has no {@code ce_time}
     */
    public EntityTombstone readTombstone(byte[] key, Headers headers, long recordTimestampMillis) {
        CloudEventBinaryParser.HeaderAttributes attributes =
                new CloudEventBinaryParser.HeaderAttributes(headers == null ? new RecordHeaders() : headers);
        String id = optionalString(attributes, "id");
        String where = id == null ? " in a tombstone" : " in tombstone " + id;
        if (key == null || key.length == 0) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "a tombstone needs a record key (the subject of the entity that is gone)" + where);
        }
        // Strict, unlike an event's key check: here the key becomes the subject, so a lossy decode could delete another entity.
        String subject = CloudEventBinaryParser.utf8(key, "the record key" + where);
        if (attributes.get("entityversion") == null) {
            throw new PoisonEventException(PoisonReason.TOMBSTONE_WITHOUT_VERSION,
                    "a tombstone needs a ce_entityversion header (the fence orders the removal by it)" + where);
        }
        long version;
        try {
            version = CloudEventAttributes.version(attributes, "entityversion", where);
        } catch (PoisonEventException e) {
            throw new PoisonEventException(PoisonReason.BAD_VERSION,
                    "a tombstone needs a ce_entityversion header holding a non-negative integer: " + e.getMessage());
        }
        Instant time;
        if (attributes.get("time") != null) {
            time = CloudEventAttributes.time(attributes, "time", where);
        } else if (recordTimestampMillis >= 0) {
            time = Instant.ofEpochMilli(recordTimestampMillis);
        } else {
            // Kafka reports -1 for "no timestamp"; the epoch would make every TTL long expired.
            throw new PoisonEventException(PoisonReason.BAD_TIME,
                    "a tombstone without a ce_time header needs a record timestamp" + where);
        }
        return new EntityTombstone(subject, version, time, id != null ? id : "tombstone:" + subject + ":" + version);
    }

    static boolean isBinary(Headers headers) {
        String contentType = CloudEventBinaryParser.header(headers, CloudEventBinaryParser.CONTENT_TYPE);
        if (contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(STRUCTURED_MEDIA_TYPE)) {
            return false;
        }
        return headers.lastHeader(CloudEventBinaryParser.PREFIX + "specversion") != null;
    }

    private static String optionalString(CloudEventAttributes.Source attributes, String attribute) {
        return attributes.get(attribute) == null ? null : CloudEventAttributes.requiredString(attributes, attribute);
    }
}
