package io.cachep.dlqtool.dlq;

import io.cachep.config.ProjectorConfig;
import io.cachep.config.cli.ConfigOptions;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlqtool.Progress;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlq-tool dlq purge}: moves the replay group past the selected dead letters without replaying them (they stay
 * in the topic until its retention removes them). Positions are per partition, so records before the last selected
 * one in a partition are passed too; the dry run says how many.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = "Advance the replay group past the selected dead letters without replaying them (dry run unless --execute).")
public final class DlqPurgeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--execute", description = "Really move the replay group; without it, only show what would move.")
    boolean execute;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> environment;

    public DlqPurgeCommand() {
        this(System.getenv());
    }

    public DlqPurgeCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DeadLetterFilter filter = filterOptions.filter(spec.commandLine());
        ProjectorConfig config = configOptions.load(environment);
        ReplayGroup group = new ReplayGroup(config);
        Progress reading = new Progress(spec.commandLine().getErr(), "reading " + config.dlqTopic(), 0);
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
        return 0;
    }
}
