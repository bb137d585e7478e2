package io.cachep.dlqtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/** Every command starts from one {@link CommandContext}, and prints data in the format of one {@link OutputOption}. */
class CommandContextTest {

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin
        CommandContext context;

        Probe(Map<String, String> environment) {
            this.context = environment == null ? null : new CommandContext(environment);
        }

        @Override
        public Integer call() {
            context.out().println(context.config().applicationId() + " " + (context.config() == context.config()));
            context.err().println("rules " + context.rules().namespace());
            return ExitCodes.OK;
        }
    }

    private static Map<String, String> deployment(Path dir, String applicationId) throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                namespace: probed
                rules:
                  - name: started
                    topic: events
                    type: started
                    mutations:
                      - upsert: { key: "session:{subject}", hash: { device: "{data.device}" } }
                """);
        return Map.of("PROJECTOR_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "PROJECTOR_REDIS_URI", "redis://127.0.0.1:1",
                "PROJECTOR_RULES_FILE", rules.toString(), "PROJECTOR_APPLICATION_ID", applicationId);
    }

    @Test
    void shouldReadTheEnvironmentTheCommandWasBuiltWithAndLoadTheConfigurationOnce(@TempDir Path dir) throws Exception {
        CliRun.Result result = CliRun.run(new Probe(deployment(dir, "from-env")));

        assertThat(result.exit()).as(result.both()).isZero();
        assertThat(result.out()).isEqualTo("from-env true\n");
        assertThat(result.err()).isEqualTo("rules probed\n");
    }

    @Test
    void shouldLetTheConfigurationFlagsOverrideThatEnvironment(@TempDir Path dir) throws Exception {
        CliRun.Result result = CliRun.run(new Probe(deployment(dir, "from-env")), "--application-id", "from-flag");

        assertThat(result.out()).as(result.both()).startsWith("from-flag ");
    }

    @Test
    void shouldFallBackToTheProcessEnvironmentWhenTheCommandSetNoContext() {
        Probe probe = new Probe(null);
        new CommandLine(probe).parseArgs();

        assertThat(probe.context).isNotNull();
    }

    @Test
    void shouldReportABadConfigurationThroughTheErrorHandlerWithExitTwo() {
        CliRun.Result result = CliRun.run(new Probe(Map.of("PROJECTOR_HTTP_PORT", "-1")));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("Invalid configuration (").contains("projector.http.port");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldGiveEveryCommandTheContextAndEveryOutputOptionTheOneMixin() {
        TreeSet<String> withOutput = new TreeSet<>();
        TreeSet<String> leaves = new TreeSet<>();
        walk(new CommandLine(new DlqToolMain()).getCommandSpec(), leaves, withOutput);

        assertThat(leaves).containsExactly("dlq-tool config", "dlq-tool dlq inspect", "dlq-tool dlq list",
                "dlq-tool dlq purge", "dlq-tool dlq replay", "dlq-tool dlq stats", "dlq-tool rebuild", "dlq-tool replay",
                "dlq-tool reset-group", "dlq-tool status", "dlq-tool topics apply", "dlq-tool verify");
        assertThat(withOutput).containsExactly("dlq-tool config", "dlq-tool dlq inspect", "dlq-tool dlq list",
                "dlq-tool dlq replay", "dlq-tool dlq stats", "dlq-tool rebuild", "dlq-tool replay", "dlq-tool status",
                "dlq-tool topics apply", "dlq-tool verify");
    }

    private static void walk(CommandSpec spec, TreeSet<String> leaves, TreeSet<String> withOutput) {
        if (spec.userObject() instanceof Callable<?> && !(spec.userObject() instanceof CommandLine.HelpCommand)) {
            leaves.add(spec.qualifiedName());
            assertThat(spec.mixins().values()).as("%s's mixins", spec.qualifiedName())
                    .anyMatch(mixin -> mixin.userObject() instanceof CommandContext);
            if (spec.findOption("--output") != null) {
                withOutput.add(spec.qualifiedName());
                assertThat(spec.findOption("-o")).isSameAs(spec.findOption("--output"));
                assertThat(spec.mixins().values()).as("%s's -o", spec.qualifiedName())
                        .anyMatch(mixin -> mixin.userObject() instanceof OutputOption);
                assertThat(spec.findOption("--output").defaultValue()).isEqualTo("text");
            }
        }
        spec.subcommands().values().forEach(sub -> walk(sub.getCommandSpec(), leaves, withOutput));
    }
}
