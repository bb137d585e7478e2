package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.InvalidConfigurationException;
import io.cachep.config.ProjectorConfig;
import io.cachep.config.cli.ConfigOptions;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import io.cachep.cli.OutputFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq-tool config}: the effective configuration, secrets hidden, with every problem listed if it is bad. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration (defaults < --config file < PROJECTOR_* environment < flags);"
                + " secrets show as [hidden]. Exit 2 with every problem listed when it is invalid.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    ConfigCommand() {
        this(System.getenv());
    }

    ConfigCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProjectorConfig config;
        try {
            config = configOptions.load(environment);
        } catch (InvalidConfigurationException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (output == OutputFormat.json) {
            out.println(new ObjectMapper().writeValueAsString(config.redacted()));
        } else {
            TextTable table = new TextTable("key", "value");
            config.redacted().forEach(table::row);
            out.print(table.render());
        }
        config.warnings().forEach(w -> err.println("warning: " + w));
        return 0;
    }
}
