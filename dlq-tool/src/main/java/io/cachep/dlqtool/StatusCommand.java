package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.dlqtool.dlq.DlqSummary;
import io.cachep.text.DurationText;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code dlq-tool status}: is the projector running, how far behind is it, and how full is the DLQ: the projector
 * group's live members and their partitions, committed offset against log end per partition of the rules' topics,
 * and the DLQ's size, pending records and oldest failure. Read-only: it joins no group.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the projector group's live members and their partitions, the lag per partition (committed"
                + " offset against log end), and the DLQ's size, records pending replay and oldest failure.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommandContext context;

    @Mixin
    OutputOption output;

    StatusCommand() {
        this(System.getenv());
    }

    StatusCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        // The lag is about the topics the projector reads; the rules file says which (a bad one exits 2).
        var topics = context.rules().topics();
        GroupStatus group;
        DlqSummary dlq;
        try (Admin admin = context.openAdmin()) {
            group = GroupStatus.read(admin, context.config().applicationId(), topics);
            dlq = DlqSummary.read(context.config(), admin);
        }
        Instant now = Instant.now();
        if (output.json()) {
            context.out().println(new ObjectMapper().writeValueAsString(json(group, dlq, now)));
        } else {
            printText(context.out(), group, dlq, now);
        }
        group.missingTopics().forEach(t -> context.err().println("warning: topic " + t
                + " (read by the rules) does not exist; bin/dlq-tool topics apply creates it"));
        return ExitCodes.OK;
    }

    private static void printText(PrintWriter out, GroupStatus group, DlqSummary dlq, Instant now) {
        if (group.state().isEmpty() || group.state().get().equals("Dead")) {
            out.println("projector group " + group.groupId() + ": not found (no projector has run with this application id)");
        } else if (group.members().isEmpty()) {
            out.println("projector group " + group.groupId() + ": " + group.state().get() + ", no live members (no projector is running)");
        } else {
            out.println("projector group " + group.groupId() + ": " + group.state().get() + ", " + group.members().size()
                    + " live member(s)");
            // Member and client ids run past 100 characters: the lag table names members by their number here.
            TextTable members = new TextTable("#", "member id", "client id", "host", "partitions");
            for (int i = 0; i < group.members().size(); i++) {
                GroupStatus.Member m = group.members().get(i);
                members.row("#" + (i + 1), m.memberId(), m.clientId(), m.host(), partitions(m.partitions()));
            }
            out.print(members.render());
        }
        out.println();

        if (!group.partitions().isEmpty()) {
            TextTable lag = new TextTable("topic", "partition", "committed", "log end", "lag", "member");
            group.partitions().forEach(p -> lag.row(p.partition().topic(), p.partition().partition(),
                    p.committed().map(String::valueOf).orElse("-"), p.end(), p.lag(),
                    p.owner().map(owner -> "#" + (group.members().indexOf(owner) + 1)).orElse("-")));
            out.print(lag.render());
        }
        out.printf("total lag: %,d records%s%n", group.totalLag(), group.hasCommits() ? ""
                : " (no offsets committed yet: a projector starts at the beginning of the log)");
        out.println();

        if (!dlq.exists()) {
            out.println("DLQ topic " + dlq.topic() + " does not exist");
            return;
        }
        TextTable table = new TextTable("dlq", "records", "pending replay", "oldest failed", "oldest pending failed");
        table.row(dlq.topic(), dlq.records(), dlq.pending(), ago(dlq.oldestFailedAt(), now), ago(dlq.oldestPendingFailedAt(), now));
        out.print(table.render());
    }

    /** {@code events: 0,1,2; other: 0}. */
    private static String partitions(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return "-";
        }
        return partitions.stream().collect(Collectors.groupingBy(TopicPartition::topic, TreeMap::new,
                        Collectors.mapping(p -> String.valueOf(p.partition()), Collectors.joining(","))))
                .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
    }

    private static String ago(Optional<Instant> at, Instant now) {
        return at.map(t -> DurationText.format(Duration.between(t, now)) + " ago").orElse("-");
    }

    private static Map<String, Object> json(GroupStatus group, DlqSummary dlq, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", group.groupId());
        g.put("state", group.state().orElse(null));
        g.put("members", group.members().stream().map(m -> {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("memberId", m.memberId());
            member.put("clientId", m.clientId());
            member.put("host", m.host());
            member.put("groupInstanceId", m.instanceId().orElse(null));
            member.put("partitions", m.partitions().stream().map(TopicPartition::toString).toList());
            return member;
        }).toList());
        json.put("group", g);
        json.put("partitions", group.partitions().stream().map(p -> {
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("topic", p.partition().topic());
            partition.put("partition", p.partition().partition());
            partition.put("committed", p.committed().orElse(null));
            partition.put("logStart", p.start());
            partition.put("logEnd", p.end());
            partition.put("lag", p.lag());
            partition.put("memberId", p.owner().map(GroupStatus.Member::memberId).orElse(null));
            return partition;
        }).toList());
        json.put("totalLag", group.totalLag());
        json.put("missingTopics", group.missingTopics());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("topic", dlq.topic());
        d.put("exists", dlq.exists());
        d.put("records", dlq.records());
        d.put("pending", dlq.pending());
        d.put("oldestFailedAt", dlq.oldestFailedAt().map(Instant::toString).orElse(null));
        d.put("oldestAgeSeconds", dlq.oldestFailedAt().map(t -> Duration.between(t, now).toSeconds()).orElse(null));
        d.put("oldestPendingFailedAt", dlq.oldestPendingFailedAt().map(Instant::toString).orElse(null));
        d.put("oldestPendingAgeSeconds", dlq.oldestPendingFailedAt().map(t -> Duration.between(t, now).toSeconds()).orElse(null));
        json.put("dlq", d);
        return json;
    }
}
