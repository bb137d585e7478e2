package io.cachep.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cachep.errors.PoisonEventException;
import io.cachep.errors.PoisonReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a CloudEvents 1.0 event in the Kafka binding's binary content mode: every attribute in a {@code ce_<name>}
 * header (UTF-8), the record value is {@code data} as-is. Same rules and same {@link PoisonReason}s as
 * {@link CloudEventJsonParser}, through {@link CloudEventAttributes}.
 *
 * <p>Binary-mode specifics: an empty or absent value means "no data" (the binding's mapping of an event without
 * data); a {@code content-type} header, when present, must name JSON, since rules address data fields by path.
 * Callers go through {@link CloudEventReader}, which picks the mode and routes tombstones elsewhere.
 */
final class CloudEventBinaryParser {
    static final String CONTENT_TYPE = "content-type";
    static final String PREFIX = "ce_";

    EventEnvelope parse(byte[] key, byte[] value, Headers headers) {
        HeaderAttributes attributes = new HeaderAttributes(headers);
        CloudEventAttributes.Checked event = CloudEventAttributes.check(attributes, key);
        String contentType = header(headers, CONTENT_TYPE);
        if (contentType != null && !isJson(contentType)) {
            // The media type is not echoed: messages carry names, never values.
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE,
                    "binary-mode data must be JSON, but the content-type header names another media type" + event.where());
        }
        return event.withData(attributes, readData(value, event.where()));
    }

    /** application/json or a structured-syntax JSON type (application/*+json); parameters such as charset are ignored. */
    static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static JsonNode readData(byte[] value, String where) {
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            JsonNode node = CloudEventAttributes.MAPPER.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw new PoisonEventException(PoisonReason.UNDECODABLE, "binary-mode data holds no JSON" + where);
            }
            return node;
        } catch (JsonProcessingException e) {
            // Only the position: Jackson's own message can quote a token of the payload.
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "binary-mode data is not JSON" + where
                    + " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, "binary-mode data cannot be read as JSON" + where, e);
        }
    }

    /**
     * A header's value as UTF-8 text, or null when absent (or present with a null value). A header given twice is
     * refused, as structured mode refuses a duplicate key: picking one would be a guess.
     */
    static String header(Headers headers, String name) {
        Iterator<Header> found = headers.headers(name).iterator();
        if (!found.hasNext()) {
            return null;
        }
        byte[] bytes = found.next().value();
        if (found.hasNext()) {
            throw new PoisonEventException(PoisonReason.BAD_ENVELOPE, "header " + name + " appears more than once");
        }
        return bytes == null ? null : utf8(bytes, "header " + name);
    }

    /** Strict: the binding requires UTF-8, and a lossy decode could turn a wrong id or subject into a valid-looking one. */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PoisonEventException(PoisonReason.UNDECODABLE, what + " is not UTF-8 text");
        }
    }

    /** Attributes read from {@code ce_} headers; messages name the header so producers know what to fix. */
    record HeaderAttributes(Headers headers) implements CloudEventAttributes.Source {
        @Override
        public JsonNode get(String attribute) {
            String value = header(headers, PREFIX + attribute);
            return value == null ? null : TextNode.valueOf(value);
        }

        @Override
        public String label(String attribute) {
            return "data".equals(attribute)
                    ? "'data' (the record value)"
                    : "'" + attribute + "' (header " + PREFIX + attribute + ")";
        }
    }
}
