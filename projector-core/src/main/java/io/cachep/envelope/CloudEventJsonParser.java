package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.io.IOException;

/**
 * Reads CloudEvents 1.0 structured-mode JSON into an {@link EventEnvelope}.
 *
 * <p>Required: {@code specversion} "1.0", {@code id}, {@code type}, {@code source}, {@code subject},
 * {@code time} (RFC 3339) and the extension {@code entityversion} (a non-negative integer, as a JSON number or a
 * numeric string, since CloudEvents extensions are often carried as strings). {@code data} is optional and must be
 * an object when present. A record key, when present, must equal the subject: otherwise the entity's events could be
 * spread over partitions and lose their order. The attribute checks are {@link CloudEventAttributes}, shared with
 * binary mode.
 *
 * <p>Every failure is a {@link PoisonEventException} whose message names the attribute, never its value.
 */
public final class CloudEventJsonParser {

    public EventEnvelope parse(byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value is empty");
        }
        JsonNode root = readJson(value);
        if (!root.isObject()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "record value is a JSON " + root.getNodeType().name().toLowerCase() + ", not a CloudEvents object");
        }
        CloudEventAttributes.Source attributes = root::get;
        return CloudEventAttributes.check(attributes, key).withData(attributes, root.get("data"));
    }

    private static JsonNode readJson(byte[] value) {
        try {
            JsonNode node = CloudEventAttributes.MAPPER.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value holds no JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE,
                    // Only the position: Jackson's own text can quote a piece of the payload.
                    "record value is not JSON (syntax error at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "record value cannot be read as JSON", e);
        }
    }
}
