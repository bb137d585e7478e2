package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.devstack.DevStack;
import io.cachep.devstack.junit.DevStackExtension;
import io.cachep.devstack.junit.TestIsolation;
import io.cachep.projector.ProjectorApp;
import io.cachep.projector.topology.ProjectionMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's dlq-tool examples ({@code docs/examples/*.sh}) as an operator would: {@code bash} in the
 * repository, {@code bin/dlq-tool} on the packaged jar, configured only by {@code PROJECTOR_*} variables, against a
 * deployment whose running projector has dead-lettered two events (DLQ positions 0:0 and 0:1).
 */
@ExtendWith(DevStackExtension.class)
class ReadmeExamplesIT {
    private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(3);

    private TestDeployment deployment;
    private ProjectorApp projector;
    private Path dir;

    @BeforeEach
    void runAProjectorThatDeadLettersTwoEvents(DevStack stack, TestIsolation isolation, @TempDir Path dir) throws Exception {
        this.dir = dir;
        deployment = TestDeployment.create(stack, isolation, dir, TestDeployment.SESSION_RULES, 1, 1);
        deployment.send(deployment.event("renamed", "u-0", "{\"name\":\"a\"}"),
                deployment.event("renamed", "u-1", "{\"name\":\"b\"}"),
                deployment.event("started", "s-0", "{\"device\":\"ios\"}"));
        projector = deployment.projector();
        projector.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                projector.metrics().count(ProjectionMetrics.DLQ_OUTCOME) == 2 && projector.metrics().count("applied") == 1);
    }

    @AfterEach
    void stopTheProjector() {
        projector.close();
    }

    @Test
    void shouldRunEveryExampleTheReadmeShows() throws Exception {
        assertThat(ReadmeExamplesTest.exampleFiles()).extracting(f -> f.getFileName().toString())
                .as("every example has a test here").containsExactly("dlq-triage.sh", "json-output.sh", "rule-was-wrong.sh");
    }

    @Test
    void shouldTriageTheDlqAsTheRunbookSays() throws Exception {
        Script triage = run("dlq-triage.sh");

        assertThat(triage.out()).contains("projector group " + deployment.applicationId() + ": Stable, 1 live member(s)")
                .containsPattern(deployment.dlq() + "\\s+2\\s+2\\s+\\d+s ago")
                .contains(deployment.dlq() + ": 2 dead letters match (2 read), 2 pending replay")
                .containsPattern("UNKNOWN_TYPE\\s+2")
                .containsPattern("0:0\\s+\\S+\\s+UNKNOWN_TYPE\\s+renamed\\s+u-0\\s+" + deployment.topic() + "-0@0")
                .containsPattern("0:1\\s+\\S+\\s+UNKNOWN_TYPE\\s+renamed\\s+u-1\\s+" + deployment.topic() + "-0@1")
                .contains("dead letter 0:0 in " + deployment.dlq())
                .contains("stack trace:\nio.cachep.errors.PoisonEventException")
                .contains("payload:\n{").contains("\"name\" : \"a\"")
                .containsPattern("would replay\\s+2")
                .contains("dry run: nothing sent; add --execute to replay");
    }

    @Test
    void shouldAnswerScriptsInJson() throws Exception {
        Script json = run("json-output.sh");

        ObjectMapper mapper = new ObjectMapper();
        var lines = json.out().lines().map(line -> {
            try {
                return mapper.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
        // status, stats, two dead letters, inspect
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0).get("dlq").get("records").asInt()).isEqualTo(2);
        assertThat(lines.get(1).get("byReason").get("UNKNOWN_TYPE").asInt()).isEqualTo(2);
        assertThat(lines.get(2).get("position").asText()).isEqualTo("0:0");
        assertThat(lines.get(3).get("position").asText()).isEqualTo("0:1");
        assertThat(lines.get(4).get("envelope").get("subject").asText()).isEqualTo("u-0");
    }

    @Test
    void shouldRebuildWithTheFixedRulesAsTheRunbookSays() throws Exception {
        // The rule was wrong: sessions lacked their source. The fixed rules are deployed to the projector first.
        projector.close();
        deployment.writeRules(TestDeployment.SESSION_RULES.replace("hash: { device: \"{data.device}\" }",
                "hash: { device: \"{data.device}\", source: \"{source}\" }"));
        projector = deployment.projector();
        projector.start();

        Script rebuild = run("rule-was-wrong.sh", "NAMESPACE", deployment.namespace());

        assertThat(rebuild.out())
                .containsPattern("would promote \\(missing or different\\)\\s+1")
                .containsPattern("promote\\s+" + deployment.namespace() + ":session:\\{s-0\\}\\s+DIFFERENT_VALUE")
                .contains("dry run: nothing written")
                .containsPattern("records the projector dead-letters \\(skipped\\)\\s+2")
                .containsPattern("promoted\\s+1\n")
                .contains("REBUILT: " + deployment.namespace() + " reflects the log under the current rules")
                .contains("EQUAL: Redis holds exactly what the log implies");
    }

    record Script(String out, String err) {}

    /** Runs an example with bash's strict mode, so any command that fails fails the example. */
    private Script run(String example, String... environment) throws Exception {
        Path root = ReadmeExamplesTest.ROOT.toAbsolutePath().normalize();
        Path out = dir.resolve(example + ".out");
        Path err = dir.resolve(example + ".err");
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "docs/examples/" + example)
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PROJECTOR_") || name.startsWith("CACHEP_"));
        builder.environment().putAll(deployment.env());
        builder.environment().put("CACHEP_NO_BUILD", "1"); // the jar was packaged before the integration tests
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Process process = builder.start();
        boolean exited = process.waitFor(SCRIPT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        Script script = new Script(Files.readString(out), Files.readString(err));
        assertThat(exited).as("%s finished within %s%n%s", example, SCRIPT_DEADLINE, script).isTrue();
        assertThat(process.exitValue()).as("%s exit code%n%s", example, script).isZero();
        return script;
    }
}
