package io.cachep.dlqtool;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/dlq-tool}: the operator's CLI. It reads the projector's own configuration (the same {@code --config}
 * file and {@code PROJECTOR_*} environment), so it points at a deployment with what the projector already uses.
 */
@Command(name = "dlq-tool", mixinStandardHelpOptions = true,
        versionProvider = io.cachep.cli.Versions.class,
        description = "Operate cachep: its configuration, topics, the DLQ, replays, and rebuild and verify the cache against the log.",
        subcommands = {ConfigCommand.class, TopicsCommand.class, StatusCommand.class, DlqCommand.class, ReplayCommand.class, ResetGroupCommand.class, RebuildCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failed", "2:usage or configuration error", "3:partial: (verify) divergent, (rebuild) from partial history"})
public final class DlqToolMain {
    public static void main(String[] args) {
        CommandLine commandLine = ErrorHandler.configure(new CommandLine(new DlqToolMain()));
        int exit = commandLine.execute(args);
        // picocli's writers flush on println only: a table printed last with print() would be lost at exit.
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exit);
    }
}
