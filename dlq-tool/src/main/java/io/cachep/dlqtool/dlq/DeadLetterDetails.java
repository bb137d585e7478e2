package io.cachep.dlqtool.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlq.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;

/**
 * A dead letter taken apart for {@code dlq inspect}: its headers decoded, its CloudEvents envelope attributes (from
 * the JSON value, or the {@code ce_*} headers in binary mode), and its payload. The event's {@code data} is part of
 * the payload, never of the envelope: payload values show only when asked for.
 */
final class DeadLetterDetails {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BINARY_MODE_PREFIX = "ce_";

    private DeadLetterDetails() {}

    /** A header's value: UTF-8 text when it is text, base64 otherwise, null when the header has no value. */
    record HeaderValue(String name, String text, boolean base64) {}

    static List<HeaderValue> headers(DeadLetter letter) {
        List<HeaderValue> headers = new ArrayList<>();
        for (Header header : letter.headers()) {
            byte[] value = header.value();
            Optional<String> text = text(value);
            if (value == null || text.isPresent()) {
                headers.add(new HeaderValue(header.key(), text.orElse(null), false));
            } else {
                headers.add(new HeaderValue(header.key(), Base64.getEncoder().encodeToString(value), true));
            }
        }
        return headers;
    }

    /**
     * The CloudEvents attributes but {@code data}: the {@code ce_*} headers (binary mode), else the top-level fields of
     * the JSON value (structured mode); empty when neither can be read (the reason is then often UNDECODABLE).
     */
    static Map<String, String> envelope(DeadLetter letter) {
        Map<String, String> envelope = new LinkedHashMap<>();
        for (Header header : letter.headers()) {
            if (header.key().startsWith(BINARY_MODE_PREFIX)) {
                envelope.put(header.key().substring(BINARY_MODE_PREFIX.length()), text(header.value()).orElse("(binary)"));
            }
        }
        if (!envelope.isEmpty() || letter.value() == null) {
            return envelope;
        }
        try {
            JsonNode event = JSON.readTree(letter.value());
            if (event != null && event.isObject()) {
                event.fields().forEachRemaining(field -> {
                    if (!field.getKey().equals("data") && !field.getKey().equals("data_base64")) {
                        envelope.put(field.getKey(), field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
                    }
                });
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            // no envelope to show: the value is not JSON
        }
        return envelope;
    }

    /** The stack trace header's line count, for saying what --stacktrace would print. */
    static long stackTraceLines(DeadLetter letter) {
        return letter.stackTrace().map(trace -> trace.lines().count()).orElse(0L);
    }

    static boolean isStackTrace(String headerName) {
        return DeadLetterHeaders.STACKTRACE.equals(headerName);
    }

    /** The value for people: indented JSON, else the text, else base64. */
    static String payloadText(byte[] value) {
        if (value == null) {
            return "(null: a tombstone)";
        }
        Optional<JsonNode> json = json(value);
        if (json.isPresent()) {
            return json.get().toPrettyString();
        }
        return text(value).orElseGet(() -> "(not text; base64) " + Base64.getEncoder().encodeToString(value));
    }

    /**
     * The value for scripts: {@code payload} (a JSON node when the value is JSON, else a string) and
     * {@code payloadEncoding} ({@code json}, {@code utf8} or {@code base64}), so a script knows how to read it.
     */
    static Map<String, Object> payloadJson(byte[] value) {
        Map<String, Object> payload = new LinkedHashMap<>();
        if (value == null) {
            payload.put("payload", null);
            return payload;
        }
        Optional<JsonNode> json = json(value);
        Optional<String> text = text(value);
        if (json.isPresent()) {
            payload.put("payload", json.get());
            payload.put("payloadEncoding", "json");
        } else if (text.isPresent()) {
            payload.put("payload", text.get());
            payload.put("payloadEncoding", "utf8");
        } else {
            payload.put("payload", Base64.getEncoder().encodeToString(value));
            payload.put("payloadEncoding", "base64");
        }
        return payload;
    }

    private static Optional<JsonNode> json(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (java.io.IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }

    /** Strict UTF-8 without control characters other than line breaks and tabs; empty when the bytes are not text. */
    static Optional<String> text(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            boolean control = text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
            return control ? Optional.empty() : Optional.of(text);
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }
}
