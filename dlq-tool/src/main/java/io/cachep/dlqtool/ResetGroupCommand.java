package io.cachep.dlqtool;

import io.cachep.config.ProjectorConfig;
import io.cachep.log.LogReader;
import io.cachep.rules.ProjectionRules;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool reset-group}: moves the projector's own consumer group (the Kafka Streams reset, for the projector's
 * source topics), so the projector re-reads the log from there when it next starts. Refuses while the group has live
 * members: stop every projector first. A dry run (current and new offsets) unless {@code --execute}.
 */
@Command(name = "reset-group", mixinStandardHelpOptions = true,
        description = "Move the projector's consumer group on its source topics (dry run unless --execute). Refuses"
                + " while the group has live members.")
final class ResetGroupCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", description = "The start of the log.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The end of the log (skips what is there: the projector will not apply it).")
        boolean latest;

        @Option(names = "--to-time", paramLabel = "TIME", converter = TimeConverter.Rfc3339.class,
                description = "The first record at or after TIME (RFC 3339).")
        Instant time;

        @Option(names = "--to-offset", paramLabel = "N", description = "Offset N in every partition.")
        Long offset;
    }

    @Option(names = "--topic", paramLabel = "T", description = "Only these topics (default: every topic the rules read). Repeatable.")
    List<String> topics;

    @Option(names = "--force", description = "Skip the live-member check (Kafka itself still refuses to move an active group).")
    boolean force;

    @Option(names = "--execute", description = "Really move the group; without it, only show the new offsets.")
    boolean execute;

    ResetGroupCommand() {
        this(System.getenv());
    }

    ResetGroupCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        ProjectorConfig config = context.config();
        ProjectionRules rules = context.rules();
        Set<String> chosen = topics == null ? rules.topics() : new LinkedHashSet<>(topics);
        String group = config.applicationId();
        try (Admin admin = context.openAdmin();
             LogReader reader = context.openLogReader()) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            int members = description == null ? 0 : description.members().size();
            if (members > 0 && !force) {
                err.println("refusing: group " + group + " has " + members + " live member(s); stop every projector"
                        + " first (--force skips this check, but Kafka refuses to move an active group)");
                err.flush();
                return ExitCodes.FAILED;
            }
            Map<TopicPartition, Long> ends = reader.endOffsets(chosen);
            Map<TopicPartition, Long> targets = targets(reader, ends);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            TextTable table = new TextTable("topic", "partition", "committed", "new");
            Map<TopicPartition, Long> sorted = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition));
            sorted.putAll(targets);
            sorted.forEach((p, offset) -> table.row(p.topic(), p.partition(),
                    committed.containsKey(p) ? committed.get(p).offset() : "-", offset));
            out.print(table.render());
            if (execute) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                targets.forEach((p, offset) -> offsets.put(p, new OffsetAndMetadata(offset)));
                admin.alterConsumerGroupOffsets(group, offsets).all().get();
                out.println("group " + group + " moved; the projector re-reads from there when it starts");
            } else {
                out.println("dry run: nothing moved; add --execute");
            }
        }
        return ExitCodes.OK;
    }

    private Map<TopicPartition, Long> targets(LogReader reader, Map<TopicPartition, Long> ends) {
        if (target.latest) {
            return ends;
        }
        if (target.earliest) {
            return reader.beginningOffsets(ends.keySet());
        }
        Map<TopicPartition, Long> targets = new HashMap<>();
        if (target.offset != null) {
            ends.forEach((p, end) -> targets.put(p, Math.min(target.offset, end)));
            return targets;
        }
        return reader.offsetsAt(ends.keySet(), target.time.toEpochMilli());
    }
}
