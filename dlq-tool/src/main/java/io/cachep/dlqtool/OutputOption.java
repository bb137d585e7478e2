package io.cachep.dlqtool;

import io.cachep.cli.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o text|json}, the same on every command that prints data; a picocli mixin. picocli rejects other values. */
public final class OutputOption {
    @Option(names = {"-o", "--output"}, defaultValue = "text",
            description = "text or json; json prints JSON Lines where the command lists (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    public OutputFormat format() {
        return output;
    }

    /** Whether scripts asked for JSON. */
    public boolean json() {
        return output == OutputFormat.json;
    }
}
