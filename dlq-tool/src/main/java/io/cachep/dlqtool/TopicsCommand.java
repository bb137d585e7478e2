package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.ProjectorConfig;
import io.cachep.text.TextTable;
import io.cachep.topics.TopicChange;
import io.cachep.topics.TopicSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dlq-tool topics apply}: creates the missing topics of the specs folder and reports drift; changes nothing else. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Topic specs (topics/*.yaml).",
        subcommands = TopicsCommand.Apply.class)
final class TopicsCommand {

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Create the topics of projector.topics.dir that do not exist; report those that differ from"
                    + " their spec (drift) without changing them. Idempotent. Exit 3 when any topic drifted.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        CommandContext context;

        @Option(names = "--topics-dir", paramLabel = "DIR", description = "Overrides projector.topics.dir.")
        Path topicsDir;

        @Mixin
        OutputOption output;

        Apply() {
            this(System.getenv());
        }

        Apply(Map<String, String> environment) {
            this.context = new CommandContext(environment);
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = context.out();
            ProjectorConfig config = context.config();
            // Bad specs (InvalidTopicSpecException) exit 2 with every problem listed, through the error handler.
            List<TopicChange> changes = TopicSetup.applyDirectory(config.kafkaClientProperties(),
                    topicsDir != null ? topicsDir : config.topicsDir());
            if (output.json()) {
                ObjectMapper json = new ObjectMapper();
                for (TopicChange change : changes) {
                    out.println(json.writeValueAsString(Map.of(
                            "topic", change.topic(), "action", change.action().name(), "detail", change.detail())));
                }
            } else {
                TextTable table = new TextTable("topic", "action", "detail");
                changes.forEach(c -> table.row(c.topic(), c.action(), c.detail()));
                out.print(table.render());
            }
            boolean drift = changes.stream().anyMatch(c -> c.action() == TopicChange.Action.DRIFT);
            return drift ? ExitCodes.PARTIAL : ExitCodes.OK;
        }
    }
}
