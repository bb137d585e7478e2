package io.cachep.client.readme;

import io.cachep.client.CachepClient;
import io.cachep.client.Read;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * README.md's cachep-client example, verbatim between the markers (ReadmeClientExampleIT checks they agree), compiled
 * by the build and run by the test against a live projector.
 */
public final class ReadmeExample {
    private ReadmeExample() {}

    /** The service just published version 3 of session s-17 (user u-1); what it shows the user. */
    public static String sessionSummary(String redisUri) {
        // README:begin
        try (CachepClient cache = CachepClient.builder()
                .redisUri(redisUri)                        // the Redis the projector writes
                .namespace("demo")                         // the rules file's namespace
                .maxStaleness(Duration.ofSeconds(30))      // Redis down: serve L1 copies, flagged stale, up to 30 s old
                .build()) {
            // Read-your-projection: wait until the projector has applied the event just published (version 3).
            if (!cache.awaitVersion("session:{s-17}", 3, Duration.ofSeconds(5))) {
                throw new IllegalStateException("session s-17 version 3 is not projected yet (or went to the DLQ)");
            }
            Read<Map<String, String>> session = cache.hash("session:{s-17}");  // version 3 or newer
            Read<Set<String>> sessions = cache.set("user:{u-1}:sessions");
            String device = session.value().map(fields -> fields.get("device")).orElse("none");
            return device + " " + sessions.value().orElse(Set.of())
                    + (session.stale() ? " (stale for " + session.staleFor() + ")" : "");
        }
        // README:end
    }
}
