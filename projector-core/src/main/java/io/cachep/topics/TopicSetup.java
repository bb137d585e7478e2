package io.cachep.topics;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** Applies topic specs with a short-lived Admin client: the one entry point for the projector, the demo and tests. */
public final class TopicSetup {
    private TopicSetup() {}

    /** Loads every spec of {@code directory} and applies them. */
    public static List<TopicChange> applyDirectory(Map<String, Object> kafkaClientProperties, Path directory) {
        return apply(kafkaClientProperties, TopicSpecLoader.load(directory));
    }

    public static List<TopicChange> apply(Map<String, Object> kafkaClientProperties, List<TopicSpec> specs) {
        try (Admin admin = Admin.create(kafkaClientProperties)) {
            return new TopicApplier().apply(admin, specs);
        }
    }
}
