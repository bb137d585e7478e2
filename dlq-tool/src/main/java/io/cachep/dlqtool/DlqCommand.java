package io.cachep.dlqtool;

import io.cachep.dlqtool.dlq.DlqInspectCommand;
import io.cachep.dlqtool.dlq.DlqListCommand;
import io.cachep.dlqtool.dlq.DlqPurgeCommand;
import io.cachep.dlqtool.dlq.DlqReplayCommand;
import io.cachep.dlqtool.dlq.DlqStatsCommand;
import picocli.CommandLine.Command;

/** {@code dlq-tool dlq ...}: the dead-letter topic's commands. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Work with the dead-letter topic.",
        subcommands = {DlqListCommand.class, DlqInspectCommand.class, DlqStatsCommand.class, DlqReplayCommand.class,
                DlqPurgeCommand.class})
final class DlqCommand {
}
