package io.cachep.projector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** CloudEvents JSON for tests, written out by hand so each test shows exactly what it sends. */
final class TestEvents {
    private TestEvents() {}

    static byte[] sessionEvent(String type, String subject, long version, Instant time, String device) {
        String json = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\","
                + "\"source\":\"/test\",\"subject\":\"" + subject + "\",\"time\":\"" + time + "\","
                + "\"entityversion\":" + version + ",\"data\":{\"userId\":\"u-1\",\"device\":\"" + device + "\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
