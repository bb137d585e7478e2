package io.cachep.dlqtool.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.config.ProjectorConfig;
import io.cachep.dlq.DeadLetter;
import io.cachep.dlqtool.CommandContext;
import io.cachep.dlqtool.ExitCodes;
import io.cachep.dlqtool.OutputOption;
import io.cachep.text.Progress;
import io.cachep.text.TextTable;
import io.cachep.topics.ProducerSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool dlq replay}: puts dead letters back on their original topics, unchanged but for a raised replay
 * count, so the projector applies them again once their cause is fixed (a rule added, a producer corrected). A dry
 * run unless {@code --execute}. Progress is kept in the replay group, so a second run replays nothing twice. The
 * version fence makes a replay safe: a stale event cannot regress newer state.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-publish selected dead letters to their original topics (dry run unless --execute); skips"
                + " records replayed --max-replays times already. Exit 3 when some were skipped.")
public final class DlqReplayCommand implements Callable<Integer> {
    private static final int SAMPLE = 10;

    @Mixin
    CommandContext context;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--max-replays", defaultValue = "3", description = "Skip records replayed this often already (default: ${DEFAULT-VALUE}).")
    int maxReplays;

    @Option(names = "--execute", description = "Really send; without it, only show what would be sent.")
    boolean execute;

    @Mixin
    OutputOption output;

    public DlqReplayCommand() {
        this(System.getenv());
    }

    public DlqReplayCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = context.out();
        PrintWriter err = context.err();
        DeadLetterFilter filter = filterOptions.filter(context.commandLine());
        ProjectorConfig config = context.config();
        ReplayGroup group = new ReplayGroup(config);
        Progress reading = new Progress(err, "reading " + config.dlqTopic(), 0);
        ReplayGroup.Batch batch = group.readPending(reading::update);
        reading.finish(batch.letters().size());

        ReplayPlan plan = new ReplayPlan(filter, maxReplays);
        Map<ReplayPlan.Decision, Integer> counts = new EnumMap<>(ReplayPlan.Decision.class);
        List<DeadLetter> replayable = new ArrayList<>();
        for (DeadLetter letter : batch.letters()) {
            ReplayPlan.Decision decision = plan.decide(letter);
            counts.merge(decision, 1, Integer::sum);
            if (decision == ReplayPlan.Decision.REPLAY) {
                replayable.add(letter);
            }
        }
        if (execute) {
            send(config, replayable, err);
            group.advanceTo(batch.ends());
        }
        print(out, config, counts, replayable);
        return counts.getOrDefault(ReplayPlan.Decision.SKIP_TOO_MANY_REPLAYS, 0) > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }

    /**
     * Sends every replayable letter and waits until each is written. A letter that could not be written fails the
     * command before the replay group advances past it, so the next run offers it again.
     */
    private void send(ProjectorConfig config, List<DeadLetter> replayable, PrintWriter err) {
        Map<String, Object> props = new HashMap<>(ProducerSettings.lossless());
        props.putAll(config.kafkaClientProperties());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        Progress sending = new Progress(err, "replaying", replayable.size());
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int sent = 0;
            for (DeadLetter letter : replayable) {
                producer.send(ReplayPlan.replayOf(letter), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                });
                sending.update(++sent);
            }
            producer.flush();
            sending.finish(sent);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + replayable.size() + " dead letters could not be"
                    + " written to their topics; the replay group was not advanced, so the next run offers them again",
                    firstFailure.get());
        }
    }

    private void print(PrintWriter out, ProjectorConfig config, Map<ReplayPlan.Decision, Integer> counts,
                       List<DeadLetter> replayable) throws Exception {
        int replayed = counts.getOrDefault(ReplayPlan.Decision.REPLAY, 0);
        if (output.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("executed", execute);
            summary.put("replayed", execute ? replayed : 0);
            summary.put("wouldReplay", execute ? 0 : replayed);
            summary.put("skippedTooManyReplays", counts.getOrDefault(ReplayPlan.Decision.SKIP_TOO_MANY_REPLAYS, 0));
            summary.put("skippedNoSource", counts.getOrDefault(ReplayPlan.Decision.SKIP_NO_SOURCE, 0));
            summary.put("notSelected", counts.getOrDefault(ReplayPlan.Decision.NOT_SELECTED, 0));
            out.println(new ObjectMapper().writeValueAsString(summary));
            return;
        }
        if (!execute && !replayable.isEmpty()) {
            TextTable sample = new TextTable("dlq position", "to topic", "reason", "type", "key", "replays");
            ReplayPlan.sample(replayable, SAMPLE).forEach(l -> sample.row(l.position(), l.sourceTopic().orElse("-"),
                    l.reason().map(Enum::name).orElse("-"), l.eventType().orElse("-"), l.keyText(), l.replayCount()));
            out.print(sample.render());
            out.println();
        }
        TextTable table = new TextTable("dlq replay", "records");
        table.row(execute ? "replayed" : "would replay", replayed);
        table.row("skipped: replayed --max-replays times already", counts.getOrDefault(ReplayPlan.Decision.SKIP_TOO_MANY_REPLAYS, 0));
        table.row("skipped: no original topic header", counts.getOrDefault(ReplayPlan.Decision.SKIP_NO_SOURCE, 0));
        table.row("not selected by the filters", counts.getOrDefault(ReplayPlan.Decision.NOT_SELECTED, 0));
        out.print(table.render());
        out.println(execute ? "replay group " + new ReplayGroup(config).groupId() + " moved past these records"
                : "dry run: nothing sent; add --execute to replay");
    }
}
