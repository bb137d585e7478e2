package io.cachep.dlqtool.dlq;

import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlqtool.CommandContext;
import io.cachep.dlqtool.ExitCodes;
import io.cachep.text.Progress;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool dlq purge}: moves the replay group past the selected dead letters without replaying them (they stay
 * in the topic until its retention removes them). Positions are per partition, so records before the last selected
 * one in a partition are passed too; the dry run says how many.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Advance the replay group past the selected dead letters without replaying them (dry run unless --execute).")
public final class DlqPurgeCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--execute", description = "Really move the replay group; without it, only show what would move.")
    boolean execute;

    public DlqPurgeCommand() {
        this(System.getenv());
    }

    public DlqPurgeCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        DeadLetterFilter filter = filterOptions.filter(context.commandLine());
        ProjectorConfig config = context.config();
        ReplayGroup group = new ReplayGroup(config);
        Progress reading = new Progress(context.err(), "reading " + config.dlqTopic(), 0);
        ReplayGroup.Batch batch = group.readPending(reading::update);
        reading.finish(batch.letters().size());

        Map<TopicPartition, Long> positions = new HashMap<>();
        int selected = 0;
        int passed = 0;
        for (DeadLetter letter : batch.letters()) {
            if (filter.matches(letter)) {
                selected++;
                positions.merge(new TopicPartition(letter.record().topic(), letter.dlqPartition()), letter.dlqOffset() + 1, Math::max);
            }
        }
        for (DeadLetter letter : batch.letters()) {
            Long to = positions.get(new TopicPartition(letter.record().topic(), letter.dlqPartition()));
            if (to != null && letter.dlqOffset() < to && !filter.matches(letter)) {
                passed++;
            }
        }
        if (execute && !positions.isEmpty()) {
            group.advanceTo(positions);
        }
        TextTable table = new TextTable("dlq purge", "records");
        table.row(execute ? "purged" : "would purge", selected);
        table.row("passed with them (same partition, earlier offset)", passed);
        out.print(table.render());
        out.println(execute ? "replay group " + group.groupId() + " moved" : "dry run: nothing moved; add --execute to purge");
        return ExitCodes.OK;
    }
}
