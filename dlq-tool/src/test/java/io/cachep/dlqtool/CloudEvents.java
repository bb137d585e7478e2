package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Structured-mode CloudEvents for tests: the record value a producer would write. */
public final class CloudEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEvents() {}

    public static byte[] event(String type, String subject, long version, Instant time, Map<String, ?> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("source", "/test");
        event.put("subject", subject);
        event.put("time", time.toString());
        event.put("entityversion", version);
        event.put("data", data);
        try {
            return JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
