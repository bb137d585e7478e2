package io.cachep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.topics.TopicSetup;
import io.cachep.topics.TopicSpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every healthcheck in docker-compose.yml, run the way Docker runs it, against live services: {@code CMD-SHELL}
 * as {@code /bin/sh -c "<string>"} (this machine's {@code /bin/sh}: dash on Debian, as in the Ubuntu-based
 * {@code eclipse-temurin} image), {@code CMD} as its argv, from the repository root (laid out as the cachep image's
 * WORKDIR, {@code /opt/cachep}: {@code bin/}, {@code rules/}, ...), with the image's {@code CACHEP_NO_BUILD=1}, and
 * killed after the check's {@code timeout}. Each check must pass against its live service and fail against a port
 * where nothing listens, so a check that cannot run, or cannot fail, is caught. (The projector's first check, bash's
 * {@code /dev/tcp} under {@code CMD-SHELL}, failed here as in the image: "cannot create /dev/tcp/…".)
 *
 * <p>What is substituted, since a container finds its own service on localhost at the compose port and this test's
 * services sit on free ports:
 * <ul>
 *   <li>projector: {@code 8080} becomes the port of a real {@code bin/projector} (the image's command) running
 *       against the devstack; the check runs this repository's {@code bin/} as the image's own.</li>
 *   <li>redis: {@code redis-cli}, which inside the redis image talks to its own server on 6379, becomes this
 *       machine's {@code redis-cli -p <port>} of the devstack's redis-server.</li>
 *   <li>kafka: {@code localhost:9092} becomes the devstack broker, and {@code /opt/kafka/} a directory holding
 *       {@code bin/kafka-broker-api-versions.sh}, a stand-in for the apache/kafka image's script of that name
 *       ({@link BrokerApiVersionsStandIn}). So for Kafka the shell around the script is tested, and the script's
 *       path only as the apache/kafka image documents it (its tools live in {@code /opt/kafka/bin}).</li>
 * </ul>
 * A service with a healthcheck and no substitution here fails the test: add one.
 */
@ExtendWith(DevStackExtension.class)
class DockerComposeHealthcheckIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldPassEveryComposeHealthcheckAgainstItsLiveServiceAndFailWithoutIt(DevStack stack, TestIsolation isolation,
                                                                             @TempDir Path dir) throws Exception {
        Map<String, JsonNode> healthchecks = healthchecks();
        assertThat(healthchecks).containsKeys("kafka", "redis", "projector");
        Path kafkaHome = kafkaHomeWithStandIn(dir);

        TopicSetup.applyDirectory(Map.of("bootstrap.servers", stack.bootstrapServers()), ROOT.resolve("topics"));
        TopicSetup.apply(Map.of("bootstrap.servers", stack.bootstrapServers()),
                List.of(new TopicSpec(isolation.topic("dlq"), 1, (short) 1, Map.of())));
        Path rules = Files.writeString(dir.resolve("rules.yaml"), Files.readString(ROOT.resolve("rules/demo.yaml"))
                .replace("namespace: demo", "namespace: " + isolation.keyPrefix()));
        try (ProjectorProcess projector = new ProjectorProcess(Map.of(
                "PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "PROJECTOR_REDIS_URI", stack.redisUri(),
                "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_APPLICATION_ID", isolation.applicationId(),
                "PROJECTOR_DLQ_TOPIC", isolation.topic("dlq")), dir).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .failFast("bin/projector exited", () -> !projector.isAlive()).until(() -> ready(projector));
            Map<String, Integer> live = Map.of(
                    "kafka", URI.create("kafka://" + stack.bootstrapServers()).getPort(),
                    "redis", URI.create(stack.redisUri()).getPort(),
                    "projector", projector.httpPort());
            int closed = closedPort();
            for (Map.Entry<String, JsonNode> check : healthchecks.entrySet()) {
                String service = check.getKey();
                List<String> dockerRuns = asDockerRunsIt(check.getValue().get("test"));
                Duration timeout = goDuration(check.getValue().get("timeout").asText());

                Result healthy = run(localized(service, dockerRuns, live.get(service), kafkaHome), timeout, dir);
                assertThat(healthy.passed()).as("%s's healthcheck %s against the live %s:%n%s",
                        service, dockerRuns, service, healthy).isTrue();
                Result unhealthy = run(localized(service, dockerRuns, closed, kafkaHome), timeout, dir);
                assertThat(unhealthy.passed()).as("%s's healthcheck %s with nothing listening:%n%s",
                        service, dockerRuns, unhealthy).isFalse();
            }
        }
    }

    /** The services' {@code healthcheck} blocks, in file order. */
    private static Map<String, JsonNode> healthchecks() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile())
                .get("services");
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        services.fields().forEachRemaining(service -> {
            if (service.getValue().has("healthcheck")) {
                checks.put(service.getKey(), service.getValue().get("healthcheck"));
            }
        });
        return checks;
    }

    /**
     * The process Docker starts for a healthcheck's {@code test}, as moby's {@code daemon/health.go} builds it: the
     * words after {@code CMD} as they are; after {@code CMD-SHELL}, the same behind the image's shell, which for
     * these images (no {@code SHELL} instruction) is {@code /bin/sh -c}. It runs in the image's WORKDIR.
     */
    static List<String> asDockerRunsIt(JsonNode test) {
        List<String> words = new ArrayList<>();
        test.forEach(word -> words.add(word.asText()));
        List<String> command = new ArrayList<>(words.subList(1, words.size()));
        switch (words.get(0)) {
            case "CMD" -> { }
            case "CMD-SHELL" -> command.addAll(0, List.of("/bin/sh", "-c"));
            default -> throw new AssertionError("a healthcheck test starts with CMD or CMD-SHELL: " + words);
        }
        return List.copyOf(command);
    }

    /** The command pointed at this machine's service on {@code port} instead of the container's own (class javadoc). */
    private static List<String> localized(String service, List<String> command, int port, Path kafkaHome) {
        return switch (service) {
            case "projector" -> command.stream().map(word -> word.replace("8080", Integer.toString(port))).toList();
            case "redis" -> {
                assertThat(command.get(0)).isEqualTo("redis-cli");
                List<String> local = new ArrayList<>(command);
                local.addAll(1, List.of("-p", Integer.toString(port)));
                yield local;
            }
            case "kafka" -> command.stream().map(word -> word.replace("localhost:9092", "127.0.0.1:" + port)
                    .replace("/opt/kafka/", kafkaHome + "/")).toList();
            default -> throw new AssertionError("no local substitution for " + service + "'s healthcheck: add one");
        };
    }

    /** {@code <home>/bin/kafka-broker-api-versions.sh}: runs {@link BrokerApiVersionsStandIn} on this class path. */
    private static Path kafkaHomeWithStandIn(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("kafka/bin"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(bin.resolve("kafka-broker-api-versions.sh"), """
                #!/bin/sh
                # A stand-in for the apache/kafka image's script: see DockerComposeHealthcheckIT.
                exec '%s' -cp '%s' %s "$@"
                """.formatted(java, System.getProperty("java.class.path"), BrokerApiVersionsStandIn.class.getName()));
        Files.setPosixFilePermissions(bin.resolve("kafka-broker-api-versions.sh"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("kafka");
    }

    private record Result(List<String> command, boolean timedOut, int exit, String output) {
        boolean passed() {
            return !timedOut && exit == 0;
        }
    }

    /** Docker's verdict: healthy when the command exits 0 within the timeout (else it and its children are killed). */
    private static Result run(List<String> command, Duration timeout, Path dir)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, "healthcheck-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("CACHEP_NO_BUILD", "1");
        Process process = builder.start();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(command, !exited, exited ? process.exitValue() : -1, Files.readString(output));
    }

    /** A compose duration such as {@code 5s}, {@code 1m30s} or {@code 500ms}. */
    static Duration goDuration(String text) {
        Matcher part = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = part.end();
        }
        assertThat(end).as("a duration: %s", text).isEqualTo(text.length()).isPositive();
        return total;
    }

    private static boolean ready(ProjectorProcess projector) {
        try {
            return projector.get("/ready").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
