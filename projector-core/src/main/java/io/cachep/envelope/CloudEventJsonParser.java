package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads CloudEvents 1.0 structured-mode JSON into an {@link EventEnvelope}.
 *
 * <p>Required: {@code specversion} "1.0", {@code id}, {@code type}, {@code source}, {@code subject},
 * {@code time} (RFC 3339) and the extension {@code entityversion} (a non-negative integer, as a JSON number or a
 * numeric string, since CloudEvents extensions are often carried as strings). {@code data} is optional and must be
 * an object when present. A record key, when present, must equal the subject: otherwise the entity's events could be
 * spread over partitions and lose their order.
 *
 * <p>Every failure is a {@link PoisonEventException} whose message names the attribute, never its value.
 */
public final class CloudEventJsonParser {
    static final String SPEC_VERSION = "1.0";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    public EventEnvelope parse(byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value is empty");
        }
        JsonNode root = readJson(value);
        if (!root.isObject()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "record value is a JSON " + root.getNodeType().name().toLowerCase() + ", not a CloudEvents object");
        }
        String specVersion = requiredString(root, "specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "unsupported specversion (cachep reads CloudEvents " + SPEC_VERSION + ")");
        }
        String id = requiredString(root, "id");
        String type = requiredString(root, "type");
        String source = requiredString(root, "source");
        String subject = requiredString(root, "subject");
        String where = " in event " + id + " (" + type + ")";
        Instant time = parseTime(root.get("time"), where);
        long version = parseVersion(root.get("entityversion"), where);
        if (key != null && !subject.equals(new String(key, StandardCharsets.UTF_8))) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "record key differs from the subject" + where + "; producers must key records by subject");
        }
        JsonNode dataNode = root.get("data");
        if (dataNode == null || dataNode.isNull()) {
            return new EventEnvelope(id, type, source, subject, time, version, Map.of(), "{}");
        }
        if (!dataNode.isObject()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE, "attribute 'data' must be a JSON object" + where);
        }
        Map<String, Object> data = mapper.convertValue(dataNode, MAP);
        return new EventEnvelope(id, type, source, subject, time, version, data, dataNode.toString());
    }

    private JsonNode readJson(byte[] value) {
        try {
            JsonNode node = mapper.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value holds no JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE,
                    "record value is not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value cannot be read as JSON", e);
        }
    }

    private static String requiredString(JsonNode root, String attribute) {
        JsonNode node = root.get(attribute);
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE, "required attribute '" + attribute + "' is missing");
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "attribute '" + attribute + "' must be a non-empty string");
        }
        return node.asText();
    }

    private static Instant parseTime(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_TIME,
                    "required attribute 'time' is missing" + where + "; TTLs are computed from event time");
        }
        if (!node.isTextual()) {
            throw new PoisonEventException(PoisonReason.BAD_TIME, "attribute 'time' must be an RFC 3339 string" + where);
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new PoisonEventException(PoisonReason.BAD_TIME,
                    "attribute 'time' is not an RFC 3339 timestamp" + where);
        }
    }

    private static long parseVersion(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "required extension 'entityversion' is missing" + where);
        }
        long version;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            version = node.asLong();
        } else if (node.isTextual()) {
            try {
                version = Long.parseLong(node.asText());
            } catch (NumberFormatException e) {
                throw new PoisonEventException(PoisonReason.BAD_VERSION,
                        "extension 'entityversion' is not an integer" + where);
            }
        } else {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "extension 'entityversion' is not an integer" + where);
        }
        if (version < 0) {
            throw new PoisonEventException(PoisonReason.BAD_VERSION, "extension 'entityversion' is negative" + where);
        }
        return version;
    }
}
