package io.cachep.dlqtool.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachep.dlqtool.CommandContext;
import io.cachep.dlqtool.ExitCodes;
import io.cachep.dlqtool.OutputOption;
import io.cachep.text.DurationText;
import io.cachep.text.TextTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlq-tool dlq stats}: the shape of the DLQ: how many dead letters, how many still pending a replay, the oldest
 * and newest, and counts by reason, event type, original topic and hour. Takes the same filters as {@code dlq list}.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Count dead letters by reason, event type, original topic and hour of failure (UTC); how many are"
                + " pending a replay; the oldest and newest failure. Takes the filters of dlq list.")
public final class DlqStatsCommand implements Callable<Integer> {
    /** Hours shown in the text table; JSON has every hour. */
    static final int HOURS_SHOWN = 24;

    @Mixin
    CommandContext context;

    @Mixin
    FilterOptions filterOptions;

    @Option(names = "--pending", description = "Only records dlq replay has not replayed or purged yet.")
    boolean pendingOnly;

    @Mixin
    OutputOption output;

    public DlqStatsCommand() {
        this(System.getenv());
    }

    public DlqStatsCommand(Map<String, String> environment) {
        this.context = new CommandContext(environment);
    }

    @Override
    public Integer call() throws Exception {
        DeadLetterFilter filter = filterOptions.filter(context.commandLine());
        DeadLetterStats stats = new DeadLetterStats();
        DeadLetterScan.Range range = DeadLetterScan.read(context.config(), filter, pendingOnly, context.err(), stats::add);
        Instant now = Instant.now();
        if (output.json()) {
            printJson(context.out(), range, stats, now);
        } else {
            printText(context.out(), range, stats, now);
        }
        return ExitCodes.OK;
    }

    private static void printText(PrintWriter out, DeadLetterScan.Range range, DeadLetterStats stats, Instant now) {
        out.printf("%s: %,d dead letters match (%,d read), %,d pending replay%n", range.topic(), stats.total(),
                range.records(), stats.pending());
        if (stats.total() == 0) {
            return;
        }
        Instant oldest = stats.oldest().orElseThrow();
        Instant newest = stats.newest().orElseThrow();
        out.printf("oldest failed %s (%s ago), newest %s (%s ago)%n%n", oldest.truncatedTo(ChronoUnit.SECONDS),
                age(oldest, now), newest.truncatedTo(ChronoUnit.SECONDS), age(newest, now));
        table(out, "reason", stats.byReason());
        table(out, "event type", stats.byType());
        table(out, "original topic", stats.byTopic());

        List<Map.Entry<Instant, Long>> hours = new ArrayList<>(stats.byHour().entrySet());
        List<Map.Entry<Instant, Long>> earlier = hours.subList(0, Math.max(0, hours.size() - HOURS_SHOWN));
        TextTable byHour = new TextTable("hour (UTC)", "records");
        hours.subList(earlier.size(), hours.size()).forEach(e -> byHour.row(e.getKey(), e.getValue()));
        out.print(byHour.render());
        if (!earlier.isEmpty()) {
            out.printf("... and %,d records in %d earlier hours (-o json lists every hour)%n",
                    earlier.stream().mapToLong(Map.Entry::getValue).sum(), earlier.size());
        }
    }

    private static void table(PrintWriter out, String heading, Map<String, Long> counts) {
        TextTable table = new TextTable(heading, "records");
        counts.forEach(table::row);
        out.print(table.render());
        out.println();
    }

    private static String age(Instant at, Instant now) {
        return DurationText.format(Duration.between(at, now));
    }

    private static void printJson(PrintWriter out, DeadLetterScan.Range range, DeadLetterStats stats, Instant now) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", range.topic());
        json.put("read", range.records());
        json.put("matching", stats.total());
        json.put("pending", stats.pending());
        json.put("oldestFailedAt", stats.oldest().map(Instant::toString).orElse(null));
        json.put("oldestAgeSeconds", stats.oldest().map(at -> Duration.between(at, now).toSeconds()).orElse(null));
        json.put("newestFailedAt", stats.newest().map(Instant::toString).orElse(null));
        json.put("newestAgeSeconds", stats.newest().map(at -> Duration.between(at, now).toSeconds()).orElse(null));
        json.put("byReason", stats.byReason());
        json.put("byType", stats.byType());
        json.put("byTopic", stats.byTopic());
        Map<String, Long> byHour = new LinkedHashMap<>();
        stats.byHour().forEach((hour, count) -> byHour.put(hour.toString(), count));
        json.put("byHour", byHour);
        out.println(new ObjectMapper().writeValueAsString(json));
    }
}
