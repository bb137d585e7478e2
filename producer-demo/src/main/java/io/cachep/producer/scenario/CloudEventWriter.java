package io.cachep.producer.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** Writes CloudEvents 1.0 structured-mode JSON, as upstream services publish them. */
final class CloudEventWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String SOURCE = "/cachep/producer-demo";

    private CloudEventWriter() {}

    static ObjectNode envelope(String type, String subject, long version, Instant time) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("source", SOURCE);
        event.put("subject", subject);
        event.put("time", time.toString());
        event.put("entityversion", version);
        event.put("datacontenttype", "application/json");
        return event;
    }

    /** An event this class wrote, back as JSON to change (the fault injector corrupts copies of real events). */
    static ObjectNode read(byte[] event) {
        try {
            return (ObjectNode) MAPPER.readTree(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(JsonNode event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
