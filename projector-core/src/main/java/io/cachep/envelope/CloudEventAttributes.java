package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The attribute checks both content modes share, so that one event is accepted or refused alike, for the same
 * {@link PoisonReason}, whether its producer wrote it structured ({@link CloudEventJsonParser}) or binary
 * ({@link CloudEventBinaryParser}).
 *
 * <p>The checks read {@link JsonNode}s: binary-mode header values are handed in as JSON strings, which the checks
 * accept anyway (extensions such as {@code entityversion} are often strings in structured events too).
 *
 * <p>Messages name the attribute and the event id and type, never a value.
 */
final class CloudEventAttributes {
    static final String SPEC_VERSION = "1.0";

    /** Shared by both modes. Duplicate keys are refused: silently keeping the last one could project the wrong value. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CloudEventAttributes() {}

    /** Where a parser finds an event's attributes, and how its messages name them. */
    @FunctionalInterface
    interface Source {
        /** The attribute's value, or null when it is absent. */
        JsonNode get(String attribute);

        /** The attribute as messages name it; binary mode adds the header it came from. */
        default String label(String attribute) {
            return "'" + attribute + "'";
        }
    }

    /** The attributes every event needs, checked; {@link #withData} adds the data. */
    record Checked(String id, String type, String source, String subject, Instant time, long version) {
        /** Locates the event in messages: by id and type, never by payload values. */
        String where() {
            return CloudEventAttributes.where(id, type);
        }

        /** Absent or JSON-null data is "no data" (an empty object), so templates see the same shape either way. */
        EventEnvelope withData(Source attributes, JsonNode data) {
            if (data == null || data.isNull()) {
                return new EventEnvelope(id, type, source, subject, time, version, Map.of(), "{}");
            }
            if (!data.isObject()) {
                throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                        "attribute " + attributes.label("data") + " must be a JSON object" + where());
            }
            return new EventEnvelope(id, type, source, subject, time, version, JsonValues.toMap(data), data::toString);
        }

        /** Data already read as maps; its JSON text is written from them if a rule asks for it. */
        EventEnvelope withData(Map<String, Object> data) {
            return new EventEnvelope(id, type, source, subject, time, version, data, () -> JsonValues.toJson(data));
        }
    }

    /** Checks in a fixed order, so both modes report the same first problem for the same event. */
    static Checked check(Source attributes, byte[] key) {
        String specVersion = requiredString(attributes, "specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "unsupported specversion (cachep reads CloudEvents " + SPEC_VERSION + ")");
        }
        String id = requiredString(attributes, "id");
        String type = requiredString(attributes, "type");
        String source = requiredString(attributes, "source");
        String subject = requiredString(attributes, "subject");
        Where where = new Where(id, type);
        Instant time = time(attributes, "time", where);
        long version = version(attributes, "entityversion", where);
        keyMatchesSubject(key, subject, where);
        return new Checked(id, type, source, subject, time, version);
    }

    static String where(String id, String type) {
        return " in event " + id + " (" + type + ")";
    }

    /** {@link #where} written only when a message needs it: the checks run for every event, and almost all pass. */
    record Where(String id, String type) {
        @Override
        public String toString() {
            return where(id, type);
        }
    }

    static String requiredString(Source attributes, String attribute) {
        JsonNode node = attributes.get(attribute);
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "required attribute " + attributes.label(attribute) + " is missing");
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "attribute " + attributes.label(attribute) + " must be a non-empty string");
        }
        return node.asText();
    }

    /** Event time is required because every TTL is computed from it, never from the wall clock. */
    static Instant time(Source attributes, String attribute, Object where) {
        JsonNode node = attributes.get(attribute);
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_TIME,
                    "required attribute " + attributes.label(attribute) + " is missing" + where
                            + "; TTLs are computed from event time");
        }
        if (!node.isTextual()) {
            throw new PoisonEventException(PoisonReason.BAD_TIME, "attribute " + attributes.label(attribute)
                    + " must be an RFC 3339 string" + where);
        }
        try {
            return Rfc3339.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new PoisonEventException(PoisonReason.BAD_TIME, "attribute " + attributes.label(attribute)
                    + " is not an RFC 3339 timestamp" + where);
        }
    }

    /** A non-negative integer, as a JSON number or a numeric string: the version fence compares it. */
    static long version(Source attributes, String attribute, Object where) {
        JsonNode node = attributes.get(attribute);
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "required extension " + attributes.label(attribute)
                    + " is missing" + where);
        }
        long version;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            version = node.asLong();
        } else if (node.isTextual()) {
            try {
                version = Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                throw new PoisonEventException(PoisonReason.BAD_VERSION, "extension " + attributes.label(attribute)
                        + " is not an integer" + where);
            }
        } else {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "extension " + attributes.label(attribute)
                        + " is not an integer" + where);
        }
        if (version < 0) {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "extension " + attributes.label(attribute)
                    + " is negative" + where);
        }
        return version;
    }

    /** A key other than the subject would spread one entity's events over partitions and lose their order. */
    static void keyMatchesSubject(byte[] key, String subject, Object where) {
        if (key != null && !subject.equals(new String(key, StandardCharsets.UTF_8))) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "record key differs from the subject" + where + "; producers must key records by subject");
        }
    }
}
