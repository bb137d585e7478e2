package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run on a machine without Docker, so this reads it: every service the projector needs is
 * gated on health (or on completion, for the one-shot topic setup), and images and ports agree with the README.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..");
    private final JsonNode compose = read();
    private final JsonNode services = compose.get("services");

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        } catch (Exception e) {
            throw new AssertionError("docker-compose.yml is not valid YAML", e);
        }
    }

    @Test
    void shouldDefineKafkaRedisTopicSetupProjectorAndProducer() {
        assertThat(services.fieldNames()).toIterable()
                .contains("kafka", "redis", "topics-init", "projector", "producer-demo");
    }

    @Test
    void shouldGateTheProjectorOnHealthyKafkaAndRedisAndOnTopicsBeingCreated() {
        JsonNode dependsOn = services.get("projector").get("depends_on");
        assertThat(dependsOn.get("kafka").get("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.get("redis").get("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.get("topics-init").get("condition").asText()).isEqualTo("service_completed_successfully");
    }

    @Test
    void shouldGiveEveryServiceThatIsWaitedOnForHealthAHealthcheck() {
        services.fields().forEachRemaining(service -> {
            JsonNode dependsOn = service.getValue().get("depends_on");
            if (dependsOn == null) {
                return;
            }
            dependsOn.fields().forEachRemaining(dependency -> {
                if (dependency.getValue().get("condition").asText().equals("service_healthy")) {
                    assertThat(services.get(dependency.getKey()).has("healthcheck"))
                            .as("%s waits for %s to be healthy, so %s needs a healthcheck",
                                    service.getKey(), dependency.getKey(), dependency.getKey())
                            .isTrue();
                }
            });
        });
    }

    @Test
    void shouldConfigureTheProjectorThroughTheDocumentedEnvironmentVariables() {
        JsonNode env = services.get("projector").get("environment");
        assertThat(env.fieldNames()).toIterable().contains(
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "PROJECTOR_REDIS_URI", "PROJECTOR_RULES_FILE");
        assertThat(Files.exists(ROOT.resolve(env.get("PROJECTOR_RULES_FILE").asText()))).isTrue();
    }

    @Test
    void shouldUseTheImagesAndPortsTheReadmeNames() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String service : List.of("kafka", "redis")) {
            String image = services.get(service).get("image").asText();
            assertThat(readme).as("README names the %s image", service).contains("`" + image + "`");
        }
        assertThat(services.get("projector").get("ports").get(0).asText()).isEqualTo("8080:8080");
        assertThat(readme).contains("the projector (port 8080)");
    }
}
