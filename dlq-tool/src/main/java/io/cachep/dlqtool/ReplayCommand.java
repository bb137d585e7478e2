package io.cachep.dlqtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.apply.EventStamp;
import io.cachep.apply.RedisApplier;
import io.cachep.apply.RedisTarget;
import io.cachep.apply.WindowedApply;
import io.cachep.errors.PoisonEventException;
import io.cachep.log.LogReader;
import io.cachep.log.LoggedEvents;
import io.cachep.rules.ProjectionRules;
import io.cachep.rules.RuleEngine;
import io.cachep.rules.reference.ReferenceProjection.LoggedEvent;
import io.cachep.text.Progress;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool replay}: re-applies a range of the log through the same fenced apply as the projector, beside the
 * running projector (the fence makes that safe), for when Redis lost data. It reads with a consumer of its own and
 * never moves the projector's group. A dry run (how many records per partition) unless {@code --execute}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-apply a range of a topic's log to Redis through the fenced apply path (dry run unless"
                + " --execute). Never moves the projector's consumer group.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommandContext context;

    @Option(names = "--topic", required = true, description = "The topic to replay (one the rules read).")
    String topic;

    @Option(names = "--partition", description = "Only this partition (default: all).")
    Integer partition;

    @ArgGroup(exclusive = true, multiplicity = "1")
    From from;

    static final class From {
        @Option(names = "--from-offset", paramLabel = "N", description = "Start at this offset (with --partition, or in every partition).")
        Long offset;

        @Option(names = "--from-time", paramLabel = "TIME", converter = TimeConverter.Rfc3339.class,
                description = "Start at the first record at or after TIME (RFC 3339).")
        Instant time;
    }

    @ArgGroup(exclusive = true)
    To to;

    static final class To {
        @Option(names = "--to-offset", paramLabel = "N", description = "Stop before this offset (default: the end as of now).")
        Long offset;

        @Option(names = "--to-time", paramLabel = "TIME", converter = TimeConverter.Rfc3339.class,
                description = "Stop at the first record after TIME (RFC 3339).")
        Instant time;
    }

    @Option(names = "--execute", description = "Really write; without it, only count what would be replayed.")
    boolean execute;

    @Mixin
    OutputOption output;

    ReplayCommand() {
        this(System.getenv());
    }

    ReplayCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        ProjectionRules rules = context.rules();
        if (!rules.topics().contains(topic)) {
            throw context.usageError("--topic " + topic
                    + " is not read by any rule (the rules read " + rules.topics() + ")");
        }
        RuleEngine engine = new RuleEngine(rules);
        try (LogReader reader = context.openLogReader()) {
            Map<TopicPartition, Long> ends = new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            reader.endOffsets(Set.of(topic)).forEach((p, end) -> {
                if (partition == null || p.partition() == partition) {
                    ends.put(p, end);
                }
            });
            if (ends.isEmpty()) {
                throw context.usageError("--partition " + partition + " does not exist in " + topic);
            }
            Map<TopicPartition, Long> starts = from.offset != null ? constant(ends.keySet(), from.offset)
                    : reader.offsetsAt(ends.keySet(), from.time.toEpochMilli());
            if (to != null) {
                Map<TopicPartition, Long> stops = to.offset != null ? constant(ends.keySet(), to.offset)
                        : reader.offsetsAt(ends.keySet(), to.time.toEpochMilli() + 1);
                stops.forEach((p, stop) -> ends.merge(p, stop, Math::min));
            }
            long total = ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - starts.getOrDefault(e.getKey(), 0L))).sum();
            Map<String, Long> counts = new LinkedHashMap<>();
            if (execute) {
                counts = apply(engine, reader, starts, ends, total, err);
            }
            print(out, starts, ends, total, counts);
        }
        return ExitCodes.OK;
    }

    private Map<String, Long> apply(RuleEngine engine, LogReader reader, Map<TopicPartition, Long> starts,
                                    Map<TopicPartition, Long> ends, long total, PrintWriter err) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (RedisTarget redis = context.openRedis()) {
            // Slot-safe on a Redis Cluster: one call per node, tags registered in per-slot shards.
            RedisApplier applier = new RedisApplier(redis, engine.rules().tombstoneRetention(), engine.layout());
            LoggedEvents events = new LoggedEvents();
            Progress progress = new Progress(err, "replaying " + topic, total);
            WindowedApply writes = new WindowedApply(applier, WindowedApply.RETRY_FOR, err,
                    outcome -> counts.merge(outcome.label(), 1L, Long::sum));
            reader.readRange(starts, ends, record -> {
                LoggedEvent logged = events.of(record).orElse(null);
                if (logged == null) {
                    counts.merge("poison (left in the DLQ)", 1L, Long::sum);
                    return;
                }
                try {
                    writes.apply(EventStamp.of(logged.event()), engine.project(logged.topic(), logged.event()));
                } catch (PoisonEventException poison) {
                    counts.merge("poison (left in the DLQ)", 1L, Long::sum);
                }
            }, progress::update);
            writes.drain();
            progress.finish(counts.values().stream().mapToLong(Long::longValue).sum());
        }
        return counts;
    }

    private void print(PrintWriter out, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, long total,
                       Map<String, Long> counts) throws Exception {
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("topic", topic);
            json.put("executed", execute);
            json.put("records", total);
            json.put("ranges", ends.keySet().stream().collect(Collectors.toMap(p -> Integer.toString(p.partition()),
                    p -> Map.of("from", starts.getOrDefault(p, 0L), "to", ends.get(p)), (a, b) -> a, TreeMap::new)));
            json.put("outcomes", counts);
            out.println(new ObjectMapper().writeValueAsString(json));
            return;
        }
        TextTable ranges = new TextTable("partition", "from offset", "to offset", "records");
        ends.forEach((p, end) -> ranges.row(p.partition(), starts.getOrDefault(p, 0L), end, Math.max(0, end - starts.getOrDefault(p, 0L))));
        out.print(ranges.render());
        if (execute) {
            out.println();
            TextTable outcomes = new TextTable("outcome", "events");
            counts.forEach(outcomes::row);
            out.print(outcomes.render());
        }
        out.println(execute ? "replayed " + total + " records of " + topic + " through the fenced apply"
                : "dry run: " + total + " records would be re-applied; add --execute");
    }

    private static Map<TopicPartition, Long> constant(Set<TopicPartition> partitions, long offset) {
        Map<TopicPartition, Long> map = new HashMap<>();
        partitions.forEach(p -> map.put(p, offset));
        return map;
    }
}
