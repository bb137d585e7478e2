package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.ProjectorConfig;
import io.cachep.text.TextTable;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code dlq-tool config}: the effective configuration, secrets hidden. A bad one is listed problem by problem with
 * exit 2 by the error handler, as for every command.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration (defaults < --config file < PROJECTOR_* environment < flags);"
                + " secrets show as [hidden]. Exit 2 with every problem listed when it is invalid.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @Mixin
    OutputOption output;

    ConfigCommand() {
        this(System.getenv());
    }

    ConfigCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        ProjectorConfig config = context.config();
        if (output.json()) {
            context.out().println(new ObjectMapper().writeValueAsString(config.redacted()));
        } else {
            TextTable table = new TextTable("key", "value");
            config.redacted().forEach(table::row);
            context.out().print(table.render());
        }
        config.warnings().forEach(w -> context.err().println("warning: " + w));
        return ExitCodes.OK;
    }
}
